from . import psa_capacity_demand_report
from . import psa_utilization_report
