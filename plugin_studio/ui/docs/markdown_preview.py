"""The rendered Markdown beside a document's editor, following the text as it is typed.

Rendering is Qt's own CommonMark/GitHub-flavoured reader (``QTextDocument.setMarkdown``, md4c):
headings, emphasis, lists, task lists, tables, code, links. Links open in the system browser when
clicked; nothing is fetched to render (images from the network are not loaded).
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from plugin_studio.ui.part_layout import attach_beside

# Typing pauses this long before the preview follows; rendering a long README takes a few ms.
DEBOUNCE_MS = 150
STYLE = ("body { font-family: sans-serif; } h1 { font-size: 20pt; } h2 { font-size: 16pt; }"
         " code { background: #f3f4f6; } pre { background: #f3f4f6; padding: 6px; }"
         " table { border-collapse: collapse; } td, th { border: 1px solid #d1d5db; padding: 3px 6px; }")


class MarkdownPreview(QWidget):
    """``set_text(markdown)`` renders (debounced); ``render_now(markdown)`` renders at once."""

    def __init__(self, title: str = "Preview", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("markdown-preview")
        self.heading = QLabel(title)
        self.heading.setStyleSheet("color: #6b7280; padding: 4px 8px;")
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(self._on_link)
        self.view.document().setDefaultStyleSheet(STYLE)
        self.view.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.view.setStyleSheet("QTextBrowser { background: white; padding: 12px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        self._pending = ""
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.render_now(self._pending))

    def stop(self) -> None:
        """The window is closing: nothing runs on after it (answers still on their way are dropped)."""
        self.setEnabled(False)

    def set_text(self, markdown: str) -> None:
        self._pending = markdown
        self._timer.start()

    def render_now(self, markdown: str) -> None:
        self._timer.stop()
        bar = self.view.verticalScrollBar()
        position = bar.value()
        self.view.setMarkdown(markdown)
        bar.setValue(position)  # keep the reader's place while the text is edited

    def plain_text(self) -> str:
        """What the preview shows, as text (for tests and accessibility)."""
        return self.view.toPlainText()

    def html(self) -> str:
        return self.view.document().toHtml()

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.view.scrollToAnchor(url.fragment())


def renders_markdown(language: str, doc_format: str | None = None) -> bool:
    """Whether a document gets a rendered preview: Markdown files, and docs stored with format markdown."""
    return language == "markdown" or (doc_format or "").lower() == "markdown"




def attach(tab) -> MarkdownPreview:
    """The rendered preview beside ``tab``'s editor, following its text."""
    pane = MarkdownPreview(f"Preview · {tab.document.path}")
    tab.preview = pane
    attach_beside(tab, pane)
    pane.render_now(tab.text())
    tab.editor.modified.connect(lambda *_a: pane.set_text(tab.text()))
    return pane
