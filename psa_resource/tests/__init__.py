from . import test_psa_resource_access
