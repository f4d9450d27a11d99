"""Catalogue: choose a bundled catalogue or upload one; see every validation problem inline."""

from __future__ import annotations

import json
from functools import partial

import streamlit as st

from conflicts.catalogue import (
    TEMPLATE_PATH,
    CatalogueError,
    bundled_catalogues,
    json_schema,
    parse_catalogue_bytes,
)
from conflicts.errors import Problem
from conflicts.i18n import t
from conflicts.ui.common import (
    Model,
    bundled_model,
    catalogue_title,
    current_model,
    language,
    remember_upload,
    use_catalogue,
)
from conflicts.ui.widgets import md_escape, uploader_texts

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _summary(model: Model, lang: str) -> None:
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731
    st.markdown(f"**{md_escape(text(cat.meta.title))}**")
    if cat.meta.description:
        st.markdown(text(cat.meta.description))
    st.caption(t("catalogue.counts", lang, **cat.counts()))
    bits = [t("catalogue.version", lang, version=cat.meta.version)]
    if cat.meta.licence:
        bits.append(t("catalogue.licence", lang, licence=cat.meta.licence))
    st.caption(" · ".join(bits))
    if cat.meta.sources:
        with st.expander(t("catalogue.sources", lang)):
            st.markdown(
                "\n".join(
                    f"- [{md_escape(s.title)}](<{s.url}>)" if s.url else f"- {md_escape(s.title)}"
                    for s in cat.meta.sources
                )
            )


def _show_problems(exc: CatalogueError, lang: str) -> None:
    st.error(t("catalogue.invalid", lang, n=len(exc.problems)))
    # A table keeps file, line and field apart and shows user text literally.
    st.dataframe(
        [
            {"line": p.line, "column": p.column, "field": p.path, "problem": p.message}
            for p in exc.problems
        ],
        hide_index=True,
        width="stretch",
    )


def render() -> None:
    lang = language()
    st.title(t("catalogue.title", lang), anchor=False)
    st.markdown(t("catalogue.intro", lang))
    in_use = current_model()
    st.success(
        t("catalogue.in_use", lang, title=in_use.catalogue.text(in_use.catalogue.meta.title, lang))
    )

    bundled = list(bundled_catalogues())
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("catalogue.bundled", lang), anchor=False)
        name = st.radio(
            t("catalogue.choose", lang),
            bundled,
            index=bundled.index(in_use.key) if in_use.key in bundled else 0,
            format_func=partial(catalogue_title, lang=lang),
            key="bundled_choice",
        )
        try:
            model = bundled_model(name)
        except CatalogueError as exc:  # a broken file in data/ must not crash the page
            _show_problems(exc, lang)
        else:
            _summary(model, lang)
            if model.key != in_use.key and st.button(
                t("catalogue.use", lang), type="primary", key="use_bundled"
            ):
                use_catalogue(model.key)
                st.rerun()
            st.download_button(
                t("catalogue.download_yaml", lang),
                bundled_catalogues()[name].read_bytes(),
                file_name=f"{name}.yaml",
                mime="application/yaml",
                key="download_bundled",
            )

    with right:
        st.subheader(t("catalogue.upload", lang), anchor=False)
        uploader_texts("upload", lang, mb=MAX_UPLOAD_BYTES // 2**20, types="YAML, YML")
        upload = st.file_uploader(
            t("catalogue.upload", lang),
            type=["yaml", "yml"],
            key="upload",
            label_visibility="collapsed",
        )
        if upload is not None:
            raw = upload.getvalue()
            try:
                if len(raw) > MAX_UPLOAD_BYTES:
                    raise CatalogueError([Problem(upload.name, 0, 0, "", "file larger than 5 MB")])
                cat = parse_catalogue_bytes(raw, upload.name)
            except CatalogueError as exc:
                _show_problems(exc, lang)
            else:
                st.success(t("catalogue.valid", lang, n=len(cat.interactions)))
                key = remember_upload(raw, upload.name)
                if key != in_use.key and st.button(
                    t("catalogue.use", lang), type="primary", key="use_upload"
                ):
                    use_catalogue(key)
                    st.rerun()
        st.divider()
        st.download_button(
            t("catalogue.download_template", lang),
            TEMPLATE_PATH.read_bytes(),
            file_name="template.yaml",
            mime="application/yaml",
            key="download_template",
        )
        st.download_button(
            t("catalogue.download_schema", lang),
            json.dumps(json_schema(), ensure_ascii=False, indent=2),
            file_name="catalogue.schema.json",
            mime="application/json",
            key="download_schema",
        )
