from . import test_psa_crm_helpdesk_client_360
