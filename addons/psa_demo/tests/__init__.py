from . import test_psa_demo_firm
from . import test_psa_bench_generator
