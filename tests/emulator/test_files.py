"""Files and Uploads through the real SDK."""

from __future__ import annotations

import hashlib

import openai
import pytest

from tests.emulator.support import MAX_FILE_BYTES, jsonl, strict, training_rows


def test_upload_list_retrieve_content_delete(client):
    data = jsonl(training_rows())
    f = strict(client.files.create(file=("train.jsonl", data), purpose="fine-tune"))
    assert (f.object, f.purpose, f.status, f.bytes, f.filename) == (
        "file", "fine-tune", "processed", len(data), "train.jsonl",
    )  # fmt: skip
    assert f.id.startswith("file-")
    assert strict(client.files.retrieve(f.id)) == f
    assert client.files.content(f.id).content == data
    listed = [strict(x) for x in client.files.list(purpose="fine-tune")]
    assert listed[0].id == f.id  # newest first by default
    assert all(x.purpose == "fine-tune" for x in listed)
    deleted = strict(client.files.delete(f.id))
    assert (deleted.id, deleted.deleted, deleted.object) == (f.id, True, "file")
    with pytest.raises(openai.NotFoundError) as err:
        client.files.retrieve(f.id)
    assert err.value.body["message"] == f"No such File object: {f.id}"
    assert err.value.body["type"] == "invalid_request_error"


def test_list_files_paginates_with_after(client):
    # Newest first, so files other tests uploaded with the same purpose (batch inputs) come after ours.
    ids = [client.files.create(file=(f"f{i}.jsonl", b"{}\n"), purpose="batch").id for i in range(3)]
    first = client.files.list(purpose="batch", limit=2, order="desc")
    assert first.has_more is True
    assert [x.id for x in first.data] == ids[:0:-1]
    second = client.files.list(purpose="batch", limit=2, order="desc", after=first.data[-1].id)
    assert second.data[0].id == ids[0]


def test_bad_purpose_is_400(client):
    with pytest.raises(openai.BadRequestError) as err:
        client.files.create(file=("x.jsonl", b"{}\n"), purpose="nonsense")  # type: ignore[arg-type]
    assert err.value.body["param"] == "purpose"


def test_large_file_needs_the_uploads_api(client):
    data = jsonl(training_rows()) * (MAX_FILE_BYTES // 2000 + 2)
    assert len(data) > MAX_FILE_BYTES
    with pytest.raises(openai.APIStatusError) as err:
        client.files.create(file=("big.jsonl", data), purpose="fine-tune")
    assert err.value.status_code == 413
    assert err.value.body["code"] == "file_too_large"

    upload = client.uploads.upload_file_chunked(
        file=data, filename="big.jsonl", bytes=len(data), mime_type="application/jsonl",
        purpose="fine-tune", part_size=MAX_FILE_BYTES // 2, md5=hashlib.md5(data).hexdigest(),
    )  # fmt: skip
    upload = strict(upload)
    assert upload.status == "completed"
    assert upload.file is not None
    assert upload.file.bytes == len(data)
    assert client.files.content(upload.file.id).content == data


def test_upload_checks_size_and_can_be_cancelled(client):
    upload = client.uploads.create(bytes=10, filename="x.jsonl", mime_type="application/jsonl",
                                   purpose="fine-tune")  # fmt: skip
    assert strict(upload).status == "pending"
    part = strict(client.uploads.parts.create(upload.id, data=b"12345"))
    assert (part.object, part.upload_id) == ("upload.part", upload.id)
    with pytest.raises(openai.BadRequestError) as err:
        client.uploads.complete(upload.id, part_ids=[part.id])
    assert "parts add up to 5 bytes" in err.value.message
    cancelled = strict(client.uploads.cancel(upload.id))
    assert (cancelled.status, cancelled.file) == ("cancelled", None)
    with pytest.raises(openai.BadRequestError):
        client.uploads.parts.create(upload.id, data=b"12345")
