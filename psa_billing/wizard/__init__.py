from . import psa_realization_report_wizard
from . import psa_revenue_recognition_wizard
from . import psa_wip_report_wizard
