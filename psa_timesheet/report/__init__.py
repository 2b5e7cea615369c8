from . import timesheets_analysis_report
