from . import psa_project_budget_report
