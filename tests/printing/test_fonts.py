"""The Chinese font every document will use is found, registered once and embedded."""
import io

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from printing import fonts


def test_the_chinese_font_is_embedded_and_its_text_reads_back():
    name = fonts.register()
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(name, 14)
    c.drawString(72, 720, "翠湖花园物业服务中心 收据 人民币壹佰贰拾元整")
    c.save()
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    assert "人民币壹佰贰拾元整" in reader.pages[0].extract_text()
    embedded = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()
                if f.get_object()["/Subtype"] == "/TrueType"]
    assert embedded, "the Chinese text must use the TrueType font, not a built-in one"
    # a subset of the TrueType font travels inside the PDF, so any PC prints it
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in embedded)


def test_a_missing_font_says_what_to_install(monkeypatch, tmp_path):
    import pytest

    monkeypatch.setattr(fonts, "CANDIDATES", [tmp_path / "none.ttc"])
    with pytest.raises(fonts.FontMissing) as err:
        fonts.find()
    assert "fonts-wqy-microhei" in str(err.value) and "msyh.ttc" in str(err.value)
