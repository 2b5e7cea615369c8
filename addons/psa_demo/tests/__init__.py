from . import test_psa_demo_firm
