from . import test_psa_suite
from . import test_psa_services_tour
