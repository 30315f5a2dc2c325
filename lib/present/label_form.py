"""A form in JupyterLab to fill in a labelling sheet, one article at a time.

``python -m lib.analysis.labelling`` (``make labels``) draws a blind sheet of one's own
articles; :func:`label_form` shows its articles one by one, with the article's text when the
corpus is passed, and writes each article's labels into the sheet as they are saved:

.. code-block:: python

    from lib.corpus import load_corpus
    from lib.present.label_form import label_form

    corpus = load_corpus("data/raw", cache=True)
    label_form("data/labels/raw_smart_city.tsv", articles=corpus.articles)

- **Blind**, as the sheet is: the form shows date, outlet, address, title and text, never the
  tagger's tags (pass ``corpus.articles``, not the tagged table, and only those columns are
  read anyway).
- It opens at the first row not labelled yet and, after a save, moves to the next one, so the
  rows are labelled from the top, in the order drawn, and wherever one stops the labelled rows
  are still a random sample (:mod:`lib.analysis.labelling`).
- A save checks the labels by the labelling rules (a region, true or false, one to five topics
  for a smart-city article, none otherwise) and says what is missing instead of saving. Every
  save writes the whole sheet (:func:`lib.analysis.labelling.save_sheet`), so closing the
  notebook loses nothing saved, and the sheet stays a TSV a spreadsheet opens.

Where widgets cannot work (a kernel without ipywidgets, or the static runs of ``make report``)
it returns a one-line summary of the sheet's progress instead.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import paths
from lib.analysis import labelling
from lib.present import pickers
from lib.vocabulary import get_vocabulary

#: Characters of an article's text shown in the form (the address opens the rest).
TEXT_CHARS = 6000


@dataclass
class LabelForm:
    """The state behind the form: the sheet, where it is, and the texts shown.

    ``save(region=…, smart_city=…, topics=…, note=…)`` labels the current row and writes the
    sheet; ``go(row)``, ``next_unlabelled()`` move. The widgets (:meth:`widget`) only call
    these, so the form's behaviour is the same with or without a screen.
    """

    path: Path
    sheet: pd.DataFrame
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    row: int = 0

    @classmethod
    def open(cls, sheet: str | os.PathLike[str], articles: pd.DataFrame | None = None) -> LabelForm:
        path = paths.from_root(sheet)
        if not path.is_file():
            raise FileNotFoundError(
                f"{paths.display_path(path)}: no such labelling sheet (draw one with "
                "python -m lib.analysis.labelling, or make labels)")
        table = labelling.read_sheet(path)
        form = cls(path=path, sheet=table, texts=_texts(articles, table["article_id"]))
        form.row = form.next_unlabelled(start=0)
        return form

    @property
    def shown(self) -> str:
        return paths.display_path(self.path)

    @property
    def n_labelled(self) -> int:
        return int(labelling.labelled_rows(self.sheet).sum())

    def next_unlabelled(self, start: int | None = None) -> int:
        """The first row at or after ``start`` (default: the row after the current one) that
        is not labelled; the last row when every row from there on is."""
        start = self.row + 1 if start is None else start
        done = labelling.labelled_rows(self.sheet)
        for row in range(max(start, 0), len(self.sheet)):
            if not done[row]:
                return row
        return max(len(self.sheet) - 1, 0)

    def go(self, row: int) -> None:
        self.row = min(max(row, 0), max(len(self.sheet) - 1, 0))

    def current(self) -> dict[str, str]:
        """The current row's cells (text) and the article's title and text to show."""
        cells = {c: str(v) for c, v in self.sheet.iloc[self.row].items()}
        title, text = self.texts.get(cells["article_id"], ("", ""))
        cells["shown_title"] = title or cells.get("title", "")
        cells["shown_text"] = text or cells.get("lead", "")
        return cells

    def save(self, *, region: str, smart_city: bool | None, topics=(), note: str = "") -> None:
        """Label the current row and write the sheet; an error (naming the sheet and the
        record) leaves both unchanged."""
        self.sheet = labelling.fill_label(self.sheet, self.row, region=region,
                                          smart_city=smart_city, topics=topics, note=note,
                                          shown=self.shown)
        labelling.save_sheet(self.sheet, self.path)

    def progress(self) -> str:
        return (f"{self.shown}: {self.n_labelled} of {len(self.sheet)} articles labelled")

    def widget(self):
        """The ipywidgets form over this state (its ``VBox``)."""
        return FormWidgets(self).box


def label_form(sheet: str | os.PathLike[str], articles: pd.DataFrame | None = None):
    """A form to label the sheet ``sheet`` (a path; relative paths are taken from the
    repository root, as for ``CORPUS``) in JupyterLab. ``articles`` (``load_corpus(...).articles``
    of the sheet's corpus) lets the form show each article's whole text; without it the form
    shows the sheet's title and lead. Returns the widget, or, where widgets cannot work, the
    sheet's progress as a line of text."""
    form = LabelForm.open(sheet, articles)
    if not pickers.interactive():
        return form.progress() + " (open the notebook in JupyterLab to label them)"
    return form.widget()


def _texts(articles: pd.DataFrame | None, ids: pd.Series) -> dict[str, tuple[str, str]]:
    """Title and text of the sheet's articles, from the corpus's article table (title, subtitle,
    body; keywords where there is no body). Only those columns are read: the form stays blind."""
    if articles is None or "article_id" not in articles.columns:
        return {}
    wanted = set(ids.astype(str))
    rows = articles[articles["article_id"].astype(str).isin(wanted)]
    rows = rows.drop_duplicates(subset="article_id")

    def cell(row: pd.Series, name: str) -> str:
        return labelling.text_cell(row.get(name, "")).strip()

    texts = {}
    for _, row in rows.iterrows():
        parts = [cell(row, "subtitle"), cell(row, "body")]
        body = "\n\n".join(p for p in parts if p)
        keywords = cell(row, "keywords")
        if keywords and len(body) < 400:
            body = (body + "\n\n" if body else "") + f"[키워드 keywords] {keywords}"
        texts[str(row["article_id"])] = (cell(row, "title"), body[:TEXT_CHARS])
    return texts


class FormWidgets:
    """The form's widgets over a :class:`LabelForm`: what the labeller reads on top (``header``,
    ``article``), the label controls below (``region``, ``smart``, ``topics``, ``note``), the
    buttons (``back_button``, ``save_button``, ``next_button``) and ``message``; ``box`` holds
    them all."""

    def __init__(self, form: LabelForm) -> None:
        import ipywidgets as w

        self.form = form
        vocab = get_vocabulary()
        self.header = w.HTML()
        self.article = w.HTML(layout=w.Layout(max_height="360px", overflow="auto",
                                              border="1px solid #ddd", padding="4px 10px"))
        self.region = w.ToggleButtons(
            options=[(vocab.region_label(k), k) for k in vocab.region_keys], value=None,
            description="지역 region", style={"description_width": "120px", "button_width": "auto"})
        self.smart = w.ToggleButtons(
            options=[("스마트시티 기사 (true)", True), ("아님 (false)", False)], value=None,
            description="스마트시티", style={"description_width": "120px", "button_width": "auto"})
        self.topics = {
            k: w.ToggleButton(description=vocab.topic_label(k), tooltip=vocab.topic_label(k, lang="en"),
                              layout=w.Layout(width="auto"))
            for k in vocab.topic_keys
        }
        self.note = w.Text(description="메모 note", placeholder="borderline? why",
                           layout=w.Layout(width="70%"), style={"description_width": "120px"})
        self.message = w.HTML()
        back = w.Button(description="← 이전 back", layout=w.Layout(width="auto"))
        save = w.Button(description="저장 후 다음 save & next →", button_style="primary",
                        layout=w.Layout(width="auto"))
        skip = w.Button(description="다음 next (unsaved)", layout=w.Layout(width="auto"))
        back.on_click(lambda _: self.move(self.form.row - 1))
        skip.on_click(lambda _: self.move(self.form.row + 1))
        save.on_click(lambda _: self.save())
        self.back_button, self.save_button, self.next_button = back, save, skip
        self.smart.observe(lambda _: self.enable_topics(), names="value")
        topic_box = w.HBox([w.Label("주제 topics", layout=w.Layout(width="124px")),
                            w.HBox(list(self.topics.values()),
                                   layout=w.Layout(flex_flow="row wrap"))])
        self.box = w.VBox([self.header, self.article, self.region, self.smart, topic_box,
                           self.note, w.HBox([back, save, skip]), self.message])
        self.show()

    def enable_topics(self) -> None:
        on = self.smart.value is True
        for button in self.topics.values():
            button.disabled = not on
            if not on:
                button.value = False

    def show(self) -> None:
        cells = self.form.current()
        link = (f' · <a href="{html.escape(cells.get("url", ""), quote=True)}" target="_blank" '
                f'rel="noopener">원문 open the article</a>' if cells.get("url") else "")
        meta = " · ".join(html.escape(v) for v in (cells.get("published", ""),
                                                      cells.get("outlet", "")) if v)
        synthetic = ('<b style="color:#b35900">합성 표본 SYNTHETIC</b> · '
                     if "synthetic" in cells.get("source_file", "").lower() else "")
        self.header.value = (
            f"{synthetic}<b>{self.form.row + 1} / {len(self.form.sheet)}</b> "
            f"({self.form.n_labelled} labelled) · {meta}{link}")
        text = "".join(f"<p>{html.escape(p)}</p>" for p in cells["shown_text"].split("\n") if p.strip())
        self.article.value = (f"<h4>{html.escape(cells['shown_title'])}</h4>{text}")
        self.region.value = cells["region"] or None
        smart = cells["smart_city"].strip().lower()
        self.smart.value = True if smart == "true" else False if smart == "false" else None
        chosen = {t for t in cells["topics"].split("|") if t}
        self.enable_topics()
        for key, button in self.topics.items():
            button.value = key in chosen
        self.note.value = cells["note"]

    def move(self, row: int) -> None:
        self.form.go(row)
        self.message.value = ""
        self.show()

    def save(self) -> None:
        chosen = [k for k, button in self.topics.items() if button.value]
        try:
            self.form.save(region=self.region.value or "", smart_city=self.smart.value,
                           topics=chosen, note=self.note.value)
        except ValueError as error:
            self.message.value = f'<span style="color:#b00020">{html.escape(str(error))}</span>'
            return
        saved = self.form.row
        done = labelling.labelled_rows(self.form.sheet)
        self.form.go(self.form.next_unlabelled())
        self.show()
        self.message.value = (f"record {saved + 1} saved to {html.escape(self.form.shown)}"
                              + (" · every article is labelled" if done.all() else ""))
