"""A script that tags on several cores without the __main__ guard gets an error that says so."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from lib import paths


def test_a_script_without_the_main_guard_is_told_what_to_do(tmp_path) -> None:
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(paths.ROOT)!r})
        from lib.corpus.schema import to_frame
        from lib.tagging import tag_articles
        # Invented (synthetic) articles, enough for several chunks.
        rows = [{{"article_id": f"a{{i}}", "title": f"세종 자율주행 셔틀 {{i}}",
                  "body": "세종시가 자율주행 셔틀을 운행한다."}} for i in range(5000)]
        tag_articles(to_frame(rows), cache=False, workers=2)
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode != 0
    assert "WorkerStartError" in done.stderr and "__name__" in done.stderr
