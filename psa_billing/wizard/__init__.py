from . import psa_realization_report_wizard
