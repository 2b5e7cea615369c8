from . import test_psa_billing_access
