from . import test_psa_crm_access
from . import test_psa_crm_demand
from . import test_psa_crm_engagement
from . import test_psa_crm_estimate_access
from . import test_psa_crm_tour
from . import test_psa_crm_client_360
from . import test_psa_crm_client_360_retainer
