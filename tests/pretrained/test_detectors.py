"""Detectors: a real face in a bundled photo, none in a photo without one, boxes drawn."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np
import pytest

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained import (
    DETECTORS,
    Box,
    detect,
    draw_boxes,
    get_detector,
    read_image,
    sample_images,
    sample_path,
)


def inside(inner: Box, outer: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def test_samples_are_shipped_with_provenance_and_licence():
    samples = {s["name"]: s for s in sample_images()}
    assert set(samples) == {"astronaut", "rocket"}
    for sample in samples.values():
        data = sample_path(sample["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sample["sha256"]  # the file we described
        assert sample["source"]["item"].startswith("skimage.data.")
        assert "Public domain" in sample["licence"]
        image = read_image(sample["name"])
        assert image.shape == (sample["height"], sample["width"], 3)


def test_the_face_detector_finds_the_astronauts_face():
    found = detect(sample_path("astronaut"), "faces")
    assert len(found.boxes) == 1
    face = found.boxes[0]
    assert (found.width, found.height) == (512, 512)
    # A portrait: the face sits in the upper half, at a plausible size.
    assert face.y + face.height < found.height / 2
    assert found.width / 10 < face.width < found.width / 2


def test_the_eyes_lie_inside_the_face():
    face = detect("astronaut", "faces").boxes[0]
    eyes = detect("astronaut", "eyes").boxes
    assert len(eyes) == 2
    assert all(inside(eye, face) for eye in eyes)
    left, right = sorted(eyes, key=lambda b: b.x)
    assert abs(left.y - right.y) < face.height / 5  # side by side, not stacked


@pytest.mark.parametrize("what", ["faces", "cat_faces", "eyes"])
def test_a_photo_without_faces_gives_none(what):
    assert detect("rocket", what).boxes == ()


def test_an_array_gives_the_same_boxes_as_its_file():
    path = sample_path("astronaut")
    array = cv2.imdecode(np.frombuffer(path.read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert detect(array, "faces").boxes == detect(path, "faces").boxes


def test_a_large_image_is_searched_shrunk_and_the_box_scaled_back():
    small = read_image("astronaut")  # (512, 512, 3)
    large = cv2.resize(small, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)  # (1536, 1536, 3)
    face_small = detect(small, "faces").boxes[0]
    found = detect(large, "faces", max_side=1024)
    assert (found.width, found.height) == (1536, 1536)
    face_large = found.boxes[0]  # the largest box (smaller false alarms may come with it)
    # The same face, at three times the coordinates (give or take the shrink's rounding).
    for a, b in zip(
        (face_large.x, face_large.y, face_large.width),
        (face_small.x, face_small.y, face_small.width),
        strict=True,
    ):
        assert abs(a - 3 * b) <= 0.1 * 3 * face_small.width


def test_draw_boxes_writes_an_image_with_the_box_on_it(tmp_path):
    found = detect("astronaut", "faces")
    out = draw_boxes("astronaut", found, tmp_path / "boxes.png")
    drawn = cv2.imread(str(out))
    original = read_image("astronaut")
    assert drawn.shape == original.shape
    changed = np.any(drawn != original, axis=2)  # (H, W) pixels that were drawn on
    face = found.boxes[0]
    assert changed[face.y + face.height // 2, face.x]  # the box's left edge is drawn
    assert not changed[face.y + face.height // 2, face.x + face.width // 2]  # its inside is not
    assert changed.mean() < 0.05  # only the box and its label


def test_a_stricter_min_neighbors_drops_boxes():
    loose = detect("astronaut", "eyes", min_neighbors=1).boxes
    strict = detect("astronaut", "eyes", min_neighbors=50).boxes
    assert len(loose) >= 2
    assert len(strict) < len(loose)


def test_every_detector_has_its_cascade_installed():
    for name in DETECTORS:
        assert isinstance(detect("rocket", name).boxes, tuple)  # loads the cascade or raises


def test_aliases_and_suggestions():
    assert get_detector("cats").name == "cat_faces"
    assert get_detector("Licence plates").name == "plates"
    with pytest.raises(InputError, match=r"Did you mean 'faces'\?.*--what faces"):
        get_detector("fases")


def test_missing_and_unreadable_images(tmp_path):
    with pytest.raises(InputError, match=r"No image file .*nope\.jpg.*astronaut"):
        detect(tmp_path / "nope.jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 this is not really a jpeg")
    with pytest.raises(InputError, match=r"Cannot read .*broken\.jpg.* as an image"):
        detect(broken)
    with pytest.raises(InputError, match="not a file"):
        detect(tmp_path)


def test_draw_boxes_refuses_an_unknown_extension(tmp_path):
    found = detect("astronaut")
    with pytest.raises(InputError, match=r"\.gif.*\.png"):
        draw_boxes("astronaut", found, tmp_path / "boxes.gif")
