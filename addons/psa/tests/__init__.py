from . import test_psa_suite
