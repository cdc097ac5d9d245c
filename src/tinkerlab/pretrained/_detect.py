"""Ready-made object detectors: OpenCV's pre-trained Haar cascades, listed as data.

A Haar cascade (Viola & Jones, 2001) slides a window over the image at many sizes and
asks a chain of boosted classifiers, cheapest first, whether the window holds the
object; most windows are rejected by the first few stages, which makes it fast on a
CPU. Overlapping hits are merged, and ``min_neighbors`` says how many must agree.

Adding a detector is adding a row to :data:`DETECTORS` (and its model to the registry).

>>> from tinkerlab.pretrained import detect, draw_boxes        # doctest: +SKIP
>>> found = detect("astronaut", "faces")                       # a bundled sample image
>>> [box.width for box in found.boxes]
[95]
>>> draw_boxes("astronaut", found, "boxes.png")
PosixPath('boxes.png')
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained._registry import require

#: Where the bundled sample images and their manifest (source, licence) live.
IMAGES_DIR = Path(__file__).resolve().parent / "images"
#: Image formats that ``draw_boxes`` can write, by file extension.
WRITABLE = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")

Image = NDArray[np.uint8]  # (H, W, 3), channels B, G, R as OpenCV stores them


@dataclass(frozen=True)
class Detector:
    """One row of the detector table: what it finds and how the cascade is run."""

    name: str  # the --what value: "faces"
    label: str  # one of them, for messages and box labels: "face"
    model: str  # its row in the pre-trained registry: "haar_faces"
    cascade: str  # the cascade file in cv2.data.haarcascades
    colour: tuple[int, int, int]  # box colour, (B, G, R)
    min_size: tuple[int, int]  # smallest box searched, (width, height) in pixels
    scale_factor: float = 1.1  # the window grows by this factor between passes
    min_neighbors: int = 5  # overlapping hits needed to keep a box: higher, fewer false alarms
    aliases: tuple[str, ...] = ()  # other names accepted for --what


DETECTORS: dict[str, Detector] = {
    d.name: d
    for d in (
        Detector(
            name="faces",
            label="face",
            model="haar_faces",
            cascade="haarcascade_frontalface_default.xml",
            colour=(0, 200, 0),
            min_size=(30, 30),
            aliases=("face",),
        ),
        Detector(
            name="cat_faces",
            label="cat face",
            model="haar_cat_faces",
            cascade="haarcascade_frontalcatface_extended.xml",
            colour=(0, 140, 255),
            min_size=(30, 30),
            min_neighbors=3,  # its author's advice for the 2016 retrained cascade
            aliases=("cats", "cat", "cat_face"),
        ),
        Detector(
            name="eyes",
            label="eye",
            model="haar_eyes",
            cascade="haarcascade_eye.xml",
            colour=(255, 120, 0),
            min_size=(15, 15),
            aliases=("eye",),
        ),
        Detector(
            name="plates",
            label="licence plate",
            model="haar_plates",
            cascade="haarcascade_russian_plate_number.xml",
            colour=(0, 0, 230),
            min_size=(48, 16),  # plates are about three times wider than tall
            aliases=("plate", "license_plates", "licence_plates"),
        ),
    )
}


@dataclass(frozen=True)
class Box:
    """One detected object: its top-left corner and size, in the original image's pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Detection:
    """What a detector found in one image."""

    what: str  # the detector's name: "faces"
    label: str  # one of them: "face"
    image: str  # the file read (or the sample's name)
    width: int  # the image's size in pixels
    height: int
    boxes: tuple[Box, ...]  # largest first

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {**asdict(self), "boxes": [asdict(b) for b in self.boxes]}


def get_detector(what: str) -> Detector:
    """Return the detector called *what* (or one of its aliases), or say which exist.

    Raises
    ------
    InputError
        An unknown name; the message suggests the closest one.
    """
    wanted = what.strip().lower().replace("-", "_").replace(" ", "_")
    names = {alias: d for d in DETECTORS.values() for alias in (d.name, *d.aliases)}
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.5)
    hint = f"Did you mean {names[close[0]].name!r}? " if close else ""
    raise InputError(
        f"Unknown detector {what!r}. {hint}Available: {', '.join(DETECTORS)}. "
        f"Fix: --what {names[close[0]].name if close else 'faces'}"
    )


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    text = (IMAGES_DIR / "manifest.json").read_text(encoding="utf-8")
    return {row["name"]: row for row in json.loads(text)["images"]}


def sample_images() -> list[dict[str, Any]]:
    """The bundled sample images with their provenance: name, file, source, licence."""
    return list(_manifest().values())


def sample_path(name: str) -> Path:
    """Path of the bundled sample image *name* (``"astronaut"``, ``"rocket"``)."""
    try:
        return IMAGES_DIR / str(_manifest()[name]["file"])
    except KeyError:
        raise InputError(f"No sample image {name!r}. Samples: {', '.join(_manifest())}.") from None


def _resolve(image: str | Path) -> Path:
    """A path to an existing file: *image* itself, or the bundled sample of that name."""
    path = Path(image)
    if path.is_file():
        return path
    if isinstance(image, str) and image in _manifest():
        return sample_path(image)
    if path.exists():
        raise InputError(f"{str(path)!r} is not a file. Fix: give the path of an image file.")
    raise InputError(
        f"No image file {str(path)!r}. Fix: check the path, or use a bundled sample: "
        f"{', '.join(_manifest())}."
    )


def read_image(image: str | Path) -> Image:
    """Read an image file (or a bundled sample, by name) as an array (H, W, 3) in B, G, R.

    Raises
    ------
    InputError
        The file does not exist or is not an image OpenCV can decode.
    MissingExtraError
        The ``vision`` extra is not installed.
    """
    require("haar_faces")
    import cv2

    path = _resolve(image)
    data = np.frombuffer(path.read_bytes(), dtype=np.uint8)  # the file's bytes, any path
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if decoded is None:
        raise InputError(
            f"Cannot read {str(path)!r} as an image ({data.size} bytes; OpenCV could not decode "
            "it). Fix: use a PNG, JPEG, BMP, WebP or TIFF file."
        )
    return np.asarray(decoded, dtype=np.uint8)


def cascades_dir() -> Path:
    """The directory of OpenCV's bundled cascades (``cv2.data.haarcascades``)."""
    import importlib

    return Path(importlib.import_module("cv2.data").haarcascades)


@cache
def _cascade(file: str) -> Any:
    import cv2

    classifier = cv2.CascadeClassifier(str(cascades_dir() / file))
    if classifier.empty():  # the file is missing: opencv 5.x ships no cascades
        raise InputError(
            f"OpenCV's cascade {file} is missing from {cascades_dir()} (OpenCV "
            f"{cv2.__version__}). Fix: pip install 'opencv-python-headless<5'"
        )
    return classifier


def detect(
    image: str | Path | Image,
    what: str = "faces",
    *,
    min_neighbors: int | None = None,
    max_side: int = 1024,
) -> Detection:
    """Find faces, cat faces, eyes or licence plates in an image.

    Parameters
    ----------
    image : str, Path or ndarray
        An image file, the name of a bundled sample (``"astronaut"``), or an array
        (H, W, 3) in B, G, R order as OpenCV reads it.
    what : str, default="faces"
        A detector name from :data:`DETECTORS` (``faces``, ``cat_faces``, ``eyes``,
        ``plates``).
    min_neighbors : int, optional
        Overlapping hits needed to keep a box; the detector's default when None. Raise
        it to drop false alarms, lower it to find more.
    max_side : int, default=1024
        Larger images are shrunk to this longest side first (faster; boxes are scaled
        back to the original's pixels).

    Returns
    -------
    Detection
        The boxes, largest first, in the original image's pixels.
    """
    detector = get_detector(what)
    require(detector.model)
    import cv2

    if isinstance(image, np.ndarray):
        pixels, source = image, "<array>"
    else:
        pixels, source = read_image(image), str(image)
    if min_neighbors is not None and min_neighbors < 0:
        raise InputError(f"min_neighbors must be 0 or more. Got {min_neighbors} instead.")
    height, width = pixels.shape[:2]
    grey = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY) if pixels.ndim == 3 else pixels  # (H, W)
    scale = min(1.0, max_side / max(height, width))
    if scale < 1.0:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(grey)  # spread the contrast: the cascades were trained that way
    found = _cascade(detector.cascade).detectMultiScale(
        grey,
        scaleFactor=detector.scale_factor,
        minNeighbors=detector.min_neighbors if min_neighbors is None else min_neighbors,
        minSize=detector.min_size,
    )  # (k, 4) rows of x, y, w, h in the shrunk image, or an empty tuple
    boxes = [Box(*(round(int(v) / scale) for v in row)) for row in np.asarray(found).reshape(-1, 4)]
    boxes.sort(key=lambda b: b.width * b.height, reverse=True)
    return Detection(detector.name, detector.label, source, width, height, tuple(boxes))


def draw_boxes(image: str | Path | Image, found: Detection, out: str | Path) -> Path:
    """Draw *found*'s boxes, labelled, onto a copy of *image* and write it to *out*.

    The format follows *out*'s extension (``.png``, ``.jpg``…). Returns the path written.
    """
    require(get_detector(found.what).model)
    import cv2

    out = Path(out)
    if out.suffix.lower() not in WRITABLE:
        raise InputError(
            f"Cannot write an image called {out.name!r}: unknown extension "
            f"{out.suffix or '(none)'!r}. Fix: end the name with one of {', '.join(WRITABLE)}."
        )
    if not out.parent.is_dir():
        raise InputError(f"No directory {str(out.parent)!r} to write {out.name!r} into.")
    canvas = (image if isinstance(image, np.ndarray) else read_image(image)).copy()  # (H, W, 3)
    colour = get_detector(found.what).colour
    thickness = max(2, round(max(found.width, found.height) / 300))  # lines scale with the image
    font, font_scale = cv2.FONT_HERSHEY_SIMPLEX, 0.25 * thickness + 0.2
    for box in found.boxes:
        corner = (box.x + box.width, box.y + box.height)
        cv2.rectangle(canvas, (box.x, box.y), corner, colour, thickness)
        # The label sits on a filled tag above the box (inside it at the image's top edge).
        (text_w, text_h), base = cv2.getTextSize(found.label, font, font_scale, 1)
        top = box.y - text_h - base - thickness if box.y > text_h + base + thickness else box.y
        tag_corner = (box.x + text_w + 2 * thickness, top + text_h + base + thickness)
        cv2.rectangle(canvas, (box.x, top), tag_corner, colour, cv2.FILLED)
        origin = (box.x + thickness, top + text_h + thickness // 2)
        cv2.putText(canvas, found.label, origin, font, font_scale, (255, 255, 255), 1, cv2.LINE_AA)
    ok, encoded = cv2.imencode(out.suffix.lower(), canvas)
    if not ok:
        raise InputError(f"OpenCV could not encode {out.name!r}. Fix: write a .png instead.")
    out.write_bytes(encoded.tobytes())
    return out


__all__ = [
    "DETECTORS",
    "IMAGES_DIR",
    "Box",
    "Detection",
    "Detector",
    "detect",
    "draw_boxes",
    "get_detector",
    "read_image",
    "sample_images",
    "sample_path",
]
