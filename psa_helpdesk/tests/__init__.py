from . import test_psa_helpdesk_access
