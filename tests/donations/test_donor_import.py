"""Donor import from XLSX: a good file registers everyone; any bad row imports nothing and names
its row and column; a file that is no workbook is refused; importing again creates nobody twice."""

import io
import secrets

import pytest
from openpyxl import Workbook, load_workbook

from relief_stock.donations.importing import COLUMNS
from relief_stock.donations.models import Donor, DonorKind
from relief_stock.extensions import db


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _xlsx(rows, header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, name="donors.xlsx", token=None):
    return client.post(
        "/donors/import",
        data={"form_token": token or secrets.token_urlsafe(12), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


GOOD = [
    ("organisation", "浙商爱心联盟", "陈经理", "0571-88000000", "csr@example.org", "杭州市", "yes", ""),
    ("个人", "王秀英", "", "13800000000", "", "", "no", "不愿具名"),
    ("individual", "张伟", "", "", "", "", "", ""),
]


def _donors():
    return {d.name: d for d in db.session.scalars(db.select(Donor))}


def test_a_good_file_registers_every_donor_once(client, login_as):
    login_as("keeper")
    token = secrets.token_urlsafe(12)
    response = _upload(client, _xlsx(GOOD), token=token)
    assert response.status_code == 303
    assert "3 donors imported" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _upload(client, _xlsx(GOOD), token=token).status_code == 303  # a double tap
    donors = _donors()
    assert set(donors) == {"浙商爱心联盟", "王秀英", "张伟"}
    assert donors["浙商爱心联盟"].may_name_publicly and donors["浙商爱心联盟"].email == "csr@example.org"
    assert donors["王秀英"].kind is DonorKind.INDIVIDUAL and not donors["王秀英"].may_name_publicly
    assert donors["王秀英"].notes == "不愿具名"

    again = _upload(client, _xlsx(GOOD))  # the same file a second time, on purpose
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "row 2, column name: Donor 浙商爱心联盟 is already registered." in page
    assert len(_donors()) == 3


def test_bad_rows_import_nothing_and_are_named(client, login_as):
    login_as("keeper")
    rows = [
        GOOD[0],
        ("company", "", "", "", "not-an-email", "", "maybe", ""),
        (),
        ("individual", "张伟", "", "139", "", "", "", ""),
        ("individual", "张伟", "", "139", "", "", "", ""),
        ("individual", "长" * 201, "", "", "", "", "", ""),
    ]
    response = _upload(client, _xlsx(rows))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "row 3, column kind:" in page
    assert "row 3, column name: This field is required." in page
    assert "row 3, column email:" in page
    assert "row 3, column may_name_publicly: Enter yes or no." in page
    assert "row 6, column name: The same donor is also in row 5." in page
    assert "row 7, column name: At most 200 characters." in page
    assert "row 4" not in page  # a blank line is no row
    assert _donors() == {}


def test_bad_files_are_refused(client, login_as):
    login_as("keeper")
    wrong_header = _upload(client, _xlsx([GOOD[0][:2]], header=("kind", "名称")))
    assert wrong_header.status_code == 422
    text = wrong_header.get_data(as_text=True)
    assert "Missing column name." in text and "Unknown column 名称." in text
    not_xlsx = _upload(client, b"PK\x03\x04 this is no zip")
    assert not_xlsx.status_code == 422 and "cannot be read" in not_xlsx.get_data(as_text=True)
    no_file = client.post("/donors/import", data={"form_token": "t"}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "Choose an XLSX file" in no_file.get_data(as_text=True)
    empty = _upload(client, _xlsx([]))
    assert empty.status_code == 303  # only a header: nobody to register
    assert _donors() == {}


def test_the_template_has_the_columns_the_import_reads(client, login_as):
    login_as("auditor")
    response = client.get("/donors/import/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert [cell.value for cell in workbook.worksheets[0][1]] == list(COLUMNS)
    assert [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)] == list(COLUMNS)
    client.post("/logout")
    login_as("keeper")
    assert _upload(client, response.data).status_code == 303  # the empty template imports cleanly
