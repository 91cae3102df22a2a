from setuptools import find_packages, setup

with open("SKILL.md", encoding="utf-8") as fh:
    long_description = fh.read()

setup(
    name="geo-package",
    version="0.2.0",
    description="Haversine distance, bounding boxes and midpoints",
    long_description=long_description,
    long_description_content_type="text/markdown",
    author="mapnerds",
    license="BSD-2-Clause",
    packages=find_packages(include=["geo_package", "geo_package.*"]),
    python_requires=">=3.8",
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: BSD License",
        "Topic :: Scientific/Engineering :: GIS",
    ],
)
