import pytest

from slawatch.paths import canonical_filename, canonical_folder, is_windows_path


@pytest.mark.parametrize(
    "spelling",
    ["D:\\Inbound\\Payments", "d:\\inbound\\payments\\", "D:/Inbound/Payments/", "D:\\\\Inbound\\Payments",
     "\\\\?\\D:\\Inbound\\Payments"],
)
def test_windows_drive_paths_share_one_key(spelling):
    assert canonical_folder(spelling) == "d:\\inbound\\payments"


@pytest.mark.parametrize(
    "spelling", ["\\\\FS01\\Exchange\\Out", "\\\\fs01\\exchange\\out\\", "\\\\?\\UNC\\FS01\\Exchange\\Out"]
)
def test_unc_paths_share_one_key(spelling):
    assert canonical_folder(spelling) == "\\\\fs01\\exchange\\out"


def test_drive_root_keeps_its_separator():
    assert canonical_folder("C:\\") == canonical_folder("c:") == "c:\\"


def test_posix_paths_keep_case_and_lose_trailing_and_double_slashes():
    assert canonical_folder("/srv//Exchange/In/") == "/srv/Exchange/In"
    assert canonical_folder("/srv/exchange/in") != canonical_folder("/srv/Exchange/In")
    assert canonical_folder("/") == "/"


def test_file_names_follow_the_folder_case_rules():
    assert canonical_filename("Sub/File.CSV", "D:\\In") == "sub\\file.csv"
    assert canonical_filename("Sub//File.CSV", "/srv/in") == "Sub/File.CSV"


def test_windows_detection():
    assert is_windows_path("C:\\x") and is_windows_path("\\\\server\\share")
    assert not is_windows_path("/srv/in") and not is_windows_path("relative/dir")


@pytest.mark.parametrize(("one", "other"), [("Maße.csv", "Masse.csv"), ("ﬁle.csv", "file.csv")])
def test_windows_names_that_ntfs_keeps_apart_stay_apart(one, other):
    # NTFS compares names by upper-casing one character at a time: "ß" is not "ss", so these are two files
    # (and two folders) there, and must be two breaches here.
    assert canonical_filename(one, "D:\\In") != canonical_filename(other, "D:\\In")
    assert canonical_folder(f"D:\\In\\{one}") != canonical_folder(f"D:\\In\\{other}")
    assert canonical_filename("MAßE.CSV", "D:\\In") == canonical_filename("maße.csv", "D:\\In")


def test_windows_case_folding_keeps_existing_keys():
    assert canonical_folder("\\\\FS01\\ΣΟΦΙΑ\\ÄRGER") == canonical_folder("\\\\fs01\\σοφια\\ärger")
    assert canonical_filename("ΣΟΦΟΣ.TXT", "D:\\In") == canonical_filename("σοφος.txt", "D:\\In")
