from . import test_allocation
from . import test_best_fit
from . import test_performance
from . import test_psa_resource_access
from . import test_ui
from . import test_utilization
