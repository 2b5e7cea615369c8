from . import psa_realization_report
from . import psa_wip_report
