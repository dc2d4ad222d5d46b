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


def windows_file_key(name):
    return canonical_filename(name, "D:\\In")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("\u212a.csv", "k.csv"),  # KELVIN SIGN: casefold and lower make it "k"; NTFS upper-cases "k" to "K"
        ("\u212a.csv", "K.csv"),
        ("\u00df.csv", "ss.csv"),  # ß: full upper case is "SS", NTFS maps one code unit to one
        ("\u00df.csv", "\u1e9e.csv"),  # ß and ẞ: no simple upper-case mapping joins them
        ("\u0130.csv", "i.csv"),  # İ: lower() is "i̇" (two code points), upper of "i" is "I"
        ("\ufb01.csv", "fi.csv"),  # ﬁ ligature: upper is "FI"
        ("\U00010428.csv", "\U00010400.csv"),  # Deseret: astral, two code units NTFS leaves alone
    ],
)
def test_names_ntfs_keeps_apart_are_two_keys(one, other):
    assert windows_file_key(one) != windows_file_key(other)
    assert canonical_folder(f"D:\\{one}") != canonical_folder(f"D:\\{other}")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("k.csv", "K.csv"),
        ("\u0131.csv", "I.csv"),  # dotless ı upper-cases to I (simple mapping)
        ("\u03c2.txt", "\u03a3.txt"),  # final sigma ς upper-cases to Σ, as σ does
        ("\u03c3.txt", "\u03c2.txt"),
        ("\uab70.csv", "\u13a0.csv"),  # Cherokee small letter A upper-cases to Cherokee letter A
        ("\u1f80.txt", "\u1f88.txt"),  # full upper case is two characters; the simple mapping is one
        ("stra\u00dfe.txt", "STRA\u00dfE.TXT"),
        ("\u00e4rger.txt", "\u00c4RGER.TXT"),
    ],
)
def test_names_ntfs_treats_as_one_are_one_key(one, other):
    assert windows_file_key(one) == windows_file_key(other)


def test_the_case_rule_is_per_utf16_code_unit_and_length_preserving():
    # Each BMP character maps to one, astral characters and lone surrogates are left as they are.
    for name in ["\U00010428\U00010400", "a\ud800b\udfffc", "\u00df\ufb01\u0149\u01f0\u0390"]:
        assert len(windows_file_key(name)) == len(name)
    assert windows_file_key("a\ud800B") == "a\ud800b"
