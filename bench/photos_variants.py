"""Time and memory to turn one 12-megapixel phone photo into its variants (issues 5 and 10).

Run:  .venv/bin/python bench/photos_variants.py [--runs 5] [--json]

Each case runs in a fresh subprocess so peak memory (ru_maxrss) is its own; the figure reported
is the peak RSS (VmHWM) above the RSS just before the case (Django and Pillow imported),
and the absolute peak. Cases:
- baseline: plain Pillow as in TECH-NOTES: open, draft("RGB", (1600, 1200)), orientation last,
  1600 px + 400 px JPEGs (TECH-NOTES: ~110 ms / 55 MB on 2 cores);
- variants: ``photos.services.render_variants`` on a stored (clean) original: what the Celery
  task does per photo, besides storage I/O;
- guard: the same with face detection (``detect=True``, the face guard of issue 18: budget
  at most 1.5x the variants case). The sample above is the detector's worst case (noise: every
  window of the cascade gets past its first stages); ``faces-variants`` and ``faces-guard`` do
  the same on a 12 MP group photo of six real faces from scikit-image
  (tests/photos/group_photos.py), JPEG quality 92, the kind of photo the guard is for;
- upload: ``files.uploads.clean_image`` on the camera file: decode all 12 MP, orientation,
  re-encode without metadata (what the upload request does before storing the original).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path("/tmp/bench-photos-12mp.jpg")
CLEAN = Path("/tmp/bench-photos-12mp-clean.jpg")
FACES = Path("/tmp/bench-photos-12mp-faces.jpg")


def make_sample() -> None:
    if SAMPLE.exists():
        return
    from PIL import Image, ImageDraw, ImageFilter

    # Photo-like content (noise + shapes, blurred) so JPEG sizes resemble a phone's 4-6 MB.
    image = Image.effect_noise((4000, 3000), 64).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 397) % 3600, (n * 211) % 2600
        draw.ellipse((x, y, x + 400, y + 400), fill=(n * 6 % 255, 120, 200 - n * 4 % 200))
    image = image.filter(ImageFilter.GaussianBlur(1))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 1.0)})
    image.save(SAMPLE, "JPEG", quality=92, exif=exif)
    CLEAN.unlink(missing_ok=True)


def make_clean() -> None:
    if CLEAN.exists():
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from files.uploads import clean_image

    CLEAN.write_bytes(clean_image(SimpleUploadedFile("x.jpg", SAMPLE.read_bytes())).data)


def make_faces() -> None:
    if FACES.exists():
        return
    sys.path.insert(0, str(ROOT))
    from tests.photos.group_photos import group_photo

    image, _boxes = group_photo(6, 300, size=(4000, 3000), seed=3)
    image.save(FACES, "JPEG", quality=92)


def case_baseline(data: bytes) -> None:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (1600, 1200))
        image.load()
        display = image.copy()
        display.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
        display = ImageOps.exif_transpose(display)
        thumb = display.copy()
        thumb.thumbnail((400, 400), Image.Resampling.LANCZOS)
        for variant in (display, thumb):
            variant.save(io.BytesIO(), "JPEG", quality=82)


def case_variants(data: bytes) -> None:
    from photos.services import render_variants

    render_variants(data, "image/jpeg")


def case_guard(data: bytes) -> None:
    from photos.services import render_variants

    render_variants(data, "image/jpeg", detect=True)


def case_upload(data: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from files.uploads import clean_image

    clean_image(SimpleUploadedFile("x.jpg", data))


def child(name: str, runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import files.uploads  # noqa: F401 - imports (and pillow-heif) before the memory baseline
    import photos.services  # noqa: F401

    # The task reads the clean (re-encoded, upright) original, not the camera file.
    data = {"variants": CLEAN, "guard": CLEAN, "faces-variants": FACES, "faces-guard": FACES}.get(
        name, SAMPLE
    ).read_bytes()
    before = _status("VmRSS")
    func = {
        "baseline": case_baseline,
        "variants": case_variants,
        "guard": case_guard,
        "upload": case_upload,
        "faces-variants": case_variants,
        "faces-guard": case_guard,
    }[name]
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func(data)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    peak = _status("VmHWM")
    print(
        json.dumps(
            {
                "case": name,
                "ms": times,
                "cpu_ms": cpu,
                "peak_mb": (peak - before) / 1024,
                "peak_total": peak / 1024,
            }
        )
    )


def _status(field: str) -> int:
    """kB from /proc/self/status: VmRSS now, VmHWM the peak so far (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def run(runs: int = 5) -> dict:
    """All cases, each in a fresh process; returns their figures (bench/all.py)."""
    make_sample()
    make_clean()
    make_faces()
    result = {
        "sample": {
            "path": str(SAMPLE),
            "mb": SAMPLE.stat().st_size / 1e6,
            "clean_mb": CLEAN.stat().st_size / 1e6,
            "pixels": "4000x3000",
            "exif": "orientation 6, GPS",
        },
        "runs": runs,
        "load_average": os.getloadavg(),
        "cases": {},
    }
    for name in ("baseline", "variants", "guard", "upload", "faces-variants", "faces-guard"):
        out = (
            subprocess.run(
                [sys.executable, __file__, "--child", name, "--runs", str(runs)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        case = json.loads(out)
        case["median_ms"] = statistics.median(case["ms"])
        case["min_ms"] = min(case["ms"])
        case["median_cpu_ms"] = statistics.median(case["cpu_ms"])
        result["cases"][name] = case
    base, variants = result["cases"]["baseline"], result["cases"]["variants"]
    result["time_ratio"] = variants["median_ms"] / base["median_ms"]
    result["memory_ratio"] = variants["peak_mb"] / base["peak_mb"]
    # The face guard's budget (issue 18): detection adds at most 50 % to the variants task.
    guard = result["cases"]["guard"]
    result["guard_ratio"] = guard["median_ms"] / variants["median_ms"]
    # CPU time as well: on a busy machine it is the steadier figure of the two.
    result["guard_cpu_ratio"] = guard["median_cpu_ms"] / variants["median_cpu_ms"]
    faces = result["cases"]["faces-guard"]
    result["faces_guard_ratio"] = (
        faces["median_ms"] / result["cases"]["faces-variants"]["median_ms"]
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs)
        return
    result = run(args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    sample = result["sample"]
    print(f"sample: {sample['path']} ({sample['mb']:.1f} MB, 4000x3000, EXIF orientation 6)")
    print(f"{'case':<14} {'median ms':>10} {'min ms':>8} {'+peak MB':>9} {'peak RSS MB':>12}")
    for name, case in result["cases"].items():
        print(
            f"{name:<14} {case['median_ms']:>10.0f} {case['min_ms']:>8.0f}"
            f" {case['peak_mb']:>9.0f} {case['peak_total']:>12.0f}"
        )
    print(
        f"variants / baseline: time {result['time_ratio']:.2f}x,"
        f" memory {result['memory_ratio']:.2f}x"
    )
    print(
        f"variants with the face guard / variants: time {result['guard_ratio']:.2f}x (budget 1.5x)"
        f" on the noise sample, {result['faces_guard_ratio']:.2f}x on the photo of faces"
    )


if __name__ == "__main__":
    main()
