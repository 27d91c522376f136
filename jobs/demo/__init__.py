"""Demo data of the jobs side for `seed_demo`, and its province-scale data set (`--scale province`)."""

from .scale import ScaleJobsResult, seed_scale_jobs
from .seed import JobsDemoResult, seed_demo_jobs

__all__ = ["JobsDemoResult", "ScaleJobsResult", "seed_demo_jobs", "seed_scale_jobs"]
