"""The catalogue upload in a real browser (issue 10, item 13): Streamlit's file uploader shows
no English in the Swedish UI ("Upload", "5MB per file", "Drag and drop a file here"), its button
is named in Swedish for a screen reader and reachable by keyboard, and an upload still works."""

from __future__ import annotations

import pytest

from conflicts.catalogue import parse_catalogue_bytes
from conflicts.i18n import t
from conflicts.testing import ROOT
from tests.e2e.conftest import PROJECTOR, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# The text a person sees in an element: visible text nodes and CSS generated content, without
# the icon ligatures (Material icons are drawn from words such as "upload").
RENDERED_TEXT = """(root) => {
  const out = [];
  const pseudo = (el, which) => {
    const c = getComputedStyle(el, which).content;
    if (c && c !== 'none' && c !== 'normal') out.push(c.replace(/^"|"$/g, ''));
  };
  const walk = (el) => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') return;
    if (el.matches('[data-testid="stIconMaterial"], input')) return;
    pseudo(el, '::before');
    for (const node of el.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()
          && parseFloat(cs.fontSize) > 0) out.push(node.textContent.trim());
      else if (node.nodeType === Node.ELEMENT_NODE) walk(node);
    }
    pseudo(el, '::after');
  };
  walk(root);
  return out.join(' | ');
}"""

ENGLISH = ("Upload", "upload", "Drag", "drop", "per file", "Browse", "Limit")

DRAG_OVER = """(zone) => {
  const data = new DataTransfer();
  data.items.add(new File(['a: 1'], 'x.yaml', {type: 'application/yaml'}));
  zone.dispatchEvent(new DragEvent('dragenter', {bubbles: true, dataTransfer: data}));
  zone.dispatchEvent(new DragEvent('dragover', {bubbles: true, dataTransfer: data}));
}"""


def test_the_uploader_speaks_swedish_and_still_uploads(browser, server) -> None:
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(f"{server.url}/catalogue?lang=sv")
    wait_for_app(page)
    uploader = page.locator(".st-key-upload [data-testid='stFileUploader']")
    zone = uploader.locator("[data-testid='stFileUploaderDropzone']")
    shown = zone.evaluate(RENDERED_TEXT)
    screenshot(page, "catalogue-upload-sv-1920x1080")
    assert "Välj fil" in shown and "Högst 5 MB per fil" in shown, shown
    assert not [w for w in ENGLISH if w in shown], shown
    # While a file is dragged over the zone: Swedish too.
    zone.evaluate(DRAG_OVER)
    page.wait_for_timeout(300)
    dragging = zone.evaluate(RENDERED_TEXT)
    assert "Släpp filen här" in dragging, dragging
    assert not [w for w in ENGLISH if w in dragging], dragging
    zone.dispatch_event("dragleave")

    # A screen reader hears the Swedish name; the keyboard reaches the button and opens the
    # file dialog with it.
    button = page.get_by_role("button", name="Välj fil", exact=True)
    assert button.count() == 1
    assert (button.get_attribute("tabindex") or "0") != "-1"
    button.focus()
    with page.expect_file_chooser(timeout=5_000):
        button.press("Enter")

    # The upload itself still works.
    path = ROOT / "data" / "stockholm.yaml"
    n = len(parse_catalogue_bytes(path.read_bytes(), path.name).interactions)
    uploader.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(t("catalogue.valid", "sv", n=n)).wait_for(timeout=20_000)
    uploader.scroll_into_view_if_needed()
    screenshot(page, "catalogue-uploaded-sv-1920x1080")
    # What a screen reader hears is Swedish too: the hidden input, the chosen file's remove
    # button and the "add files" button (Streamlit's "file upload", "Remove …", "Add files").
    names = uploader.evaluate(
        "u => [...u.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
    )
    assert "Filuppladdning" in names and "Ta bort stockholm.yaml" in names, names
    assert "Lägg till filer" in names, names
    english = ("file upload", "Remove", "Add files")
    assert not [n for n in names if any(w in n for w in english)], names

    # English in the English UI.
    page.goto(f"{server.url}/catalogue?lang=en")
    wait_for_app(page)
    shown = page.locator(".st-key-upload [data-testid='stFileUploaderDropzone']").evaluate(
        RENDERED_TEXT
    )
    assert "Upload" in shown and "5 MB per file" in shown, shown
    names = page.locator(".st-key-upload").evaluate(
        "u => [...u.querySelectorAll('input[type=file]')].map(e => e.getAttribute('aria-label'))"
    )
    assert names == ["File upload"], names
    context.close()
