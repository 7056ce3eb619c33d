"""The typical respondents behind a published figure without a standard error, as
`trend::sampling::default_sample_size`: the national survey's valid sample of the year (the
latest published at or before it) spread over the units of the figure's level; a city's or
county's figure before 2020 takes the 2020 design. Shared by the evaluation scripts and
the reference scripts. Standard library only."""

# (first year, valid respondents) of the national surveys (`../shared/data/national.csv`).
SAMPLES = [(2003, 8474.0), (2010, 68416.0), (2020, 309800.0), (2023, 289000.0)]
UNITS = {"province": 31.0, "prefecture": 419.0, "county": 2844.0}


def national(year):
    n = SAMPLES[0][1]
    for y, m in SAMPLES:
        if y <= year:
            n = m
    return n


def sample(level, year):
    if level == "national":
        return national(year)
    if level == "province":
        return national(year) / UNITS["province"]
    return national(max(year, 2020)) / UNITS[level]
