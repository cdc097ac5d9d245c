"""Regenerate the sample images shipped in this folder (a maintainer's script, not run time).

The images come from scikit-image's bundled data, which tinkerlab does not need at run
time: install it only to run this script.

Run:  pip install scikit-image 'opencv-python-headless<5' && \
      python src/tinkerlab/pretrained/images/make_samples.py

It writes the JPEG files and ``manifest.json`` (source, licence, size, SHA-256) beside
itself; ``README.md`` explains them to a reader.
"""

# %%
from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import cv2
import skimage.data

HERE = Path(__file__).resolve().parent

# name -> (scikit-image loader, longest side in pixels, what it shows, licence)
SAMPLES = {
    "astronaut": (
        "astronaut",
        512,
        "Astronaut Eileen Collins, portrait photograph (one frontal face).",
        "Public domain (NASA photograph), as stated by scikit-image",
    ),
    "rocket": (
        "rocket",
        320,
        "A rocket on the launch pad (no faces): the negative case for the face detector.",
        "Public domain (NASA photograph), as stated by scikit-image",
    ),
}


def main() -> None:
    manifest = []
    for name, (loader, longest, description, licence) in SAMPLES.items():
        rgb = getattr(skimage.data, loader)()  # (H, W, 3) uint8, RGB
        scale = longest / max(rgb.shape[:2])
        if scale < 1:
            rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # OpenCV stores channels as B, G, R
        ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 88])
        assert ok, name
        data = encoded.tobytes()
        (HERE / f"{name}.jpg").write_bytes(data)
        manifest.append(
            {
                "name": name,
                "file": f"{name}.jpg",
                "description": description,
                "width": int(bgr.shape[1]),
                "height": int(bgr.shape[0]),
                "source": {
                    "package": "scikit-image",
                    "version": version("scikit-image"),
                    "item": f"skimage.data.{loader}",
                },
                "licence": licence,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        print(f"wrote {name}.jpg ({len(data) / 1024:.0f} KiB, {bgr.shape[1]}x{bgr.shape[0]})")
    text = json.dumps({"format_version": 1, "images": manifest}, indent=1) + "\n"
    (HERE / "manifest.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
