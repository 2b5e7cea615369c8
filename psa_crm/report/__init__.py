from . import psa_demand_forecast
from . import psa_capacity_demand_report
