from . import test_psa_crm_access
