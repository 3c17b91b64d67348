"""The Tangerang Selatan 2020 demo: the election, its stakeholders, users and meetings.

Institutions are named as they exist (Bawaslu, Disdukcapil, Polres ...); parties, media,
civil-society groups and universities are invented, and every person is fictional, with an
address at example.org. The candidate pairs are "Pasangan Calon 1/2/3" (REFERENCE.md).
Issues and their timelines are in ``issue_data.py``.
"""
from datetime import date

ELECTION = {
    "name": "Pilkada Kota Tangerang Selatan 2020",
    "slug": "pilkada-tangsel-2020",
    "region": "Kota Tangerang Selatan, Banten",
    "timezone": "Asia/Jakarta",
    "voting_date": date(2020, 12, 9),
}

KECAMATAN = ("Serpong", "Serpong Utara", "Ciputat", "Ciputat Timur", "Pamulang", "Pondok Aren", "Setu")

# name, short name, category, influence 1-5, interest 1-5, positions of its contacts, notes
ORGANIZATIONS = [
    ("Badan Pengawas Pemilu Kota Tangerang Selatan", "Bawaslu Tangsel", "supervisory", 5, 5,
     ("Ketua", "Koordinator Divisi Penindakan", "Koordinator Divisi Pencegahan"),
     "Mitra utama di setiap tahapan; rekomendasi Bawaslu wajib ditindaklanjuti."),
    ("Sentra Penegakan Hukum Terpadu Kota Tangerang Selatan", "Gakkumdu", "supervisory", 4, 4,
     ("Koordinator Sekretariat",), "Unsur Bawaslu, Polres dan Kejaksaan Negeri."),
    ("Komisi Pemilihan Umum Provinsi Banten", "KPU Banten", "election_body", 5, 5,
     ("Kepala Bagian Teknis", "Staf Data dan Informasi"), "Supervisi dan rekapitulasi tingkat provinsi."),
    ("Komisi Pemilihan Umum Republik Indonesia", "KPU RI", "election_body", 5, 3,
     ("Staf Biro Teknis",), "Regulasi (PKPU) dan aplikasi Sidalih, Sirekap, Silon."),
    ("Pemerintah Kota Tangerang Selatan", "Pemkot Tangsel", "government", 5, 4,
     ("Asisten Pemerintahan", "Kepala Bagian Tata Pemerintahan"), "Pemberi hibah (NPHD) dan fasilitasi."),
    ("Badan Kesatuan Bangsa dan Politik Kota Tangerang Selatan", "Kesbangpol", "government", 3, 4,
     ("Kepala Bidang Politik Dalam Negeri", "Analis Politik"), ""),
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Tangerang Selatan", "Disdukcapil", "government", 4, 4,
     ("Kepala Bidang Pelayanan Pendaftaran Penduduk", "Operator SIAK"), "Perekaman e-KTP dan DP4."),
    ("Dinas Komunikasi dan Informatika Kota Tangerang Selatan", "Diskominfo", "government", 3, 3,
     ("Kepala Bidang Informasi Publik", "Pranata Humas"), "Penanganan hoaks dan siaran langsung."),
    ("Dinas Kesehatan Kota Tangerang Selatan", "Dinkes", "government", 4, 3,
     ("Kepala Bidang Pencegahan Penyakit", "Koordinator Puskesmas"), "Protokol COVID-19 (PKPU 6/2020)."),
    ("Satuan Polisi Pamong Praja Kota Tangerang Selatan", "Satpol PP", "government", 3, 3,
     ("Kepala Seksi Operasi", "Komandan Regu"), "Penertiban alat peraga kampanye."),
    ("Dewan Perwakilan Rakyat Daerah Kota Tangerang Selatan", "DPRD Tangsel", "legislature", 4, 4,
     ("Ketua Komisi I", "Sekretaris Komisi I"), ""),
    ("Kepolisian Resor Tangerang Selatan", "Polres Tangsel", "security", 5, 4,
     ("Kepala Bagian Operasi", "Kepala Satuan Intelkam"), "Pengamanan tahapan dan logistik."),
    ("Komando Distrik Militer 0506/Tangerang", "Kodim 0506", "security", 4, 3,
     ("Perwira Seksi Teritorial", "Perwira Seksi Operasi"), ""),
    ("DPC Partai Karya Nusantara Kota Tangerang Selatan", "PKN Tangsel", "party", 4, 5,
     ("Sekretaris", "Ketua Badan Pemenangan"), "Partai fiktif untuk demo."),
    ("DPD Partai Amanat Warga Kota Tangerang Selatan", "PAW Tangsel", "party", 4, 5,
     ("Wakil Ketua", "Staf Sekretariat"), "Partai fiktif untuk demo."),
    ("DPC Partai Bintang Persatuan Kota Tangerang Selatan", "PBP Tangsel", "party", 3, 5,
     ("Sekretaris",), "Partai fiktif untuk demo."),
    ("Tim Pasangan Calon 1", "Paslon 1", "candidate_team", 5, 5,
     ("Penghubung (LO)", "Bendahara Kampanye"), ""),
    ("Tim Pasangan Calon 2", "Paslon 2", "candidate_team", 5, 5,
     ("Penghubung (LO)", "Koordinator Saksi"), ""),
    ("Tim Pasangan Calon 3", "Paslon 3", "candidate_team", 5, 5,
     ("Penghubung (LO)", "Bendahara Kampanye"), ""),
    *[
        (f"Panitia Pemilihan Kecamatan {name}", f"PPK {name}", "adhoc_body", 3, 5,
         ("Ketua", "Sekretaris") if name in ("Pamulang", "Pondok Aren", "Ciputat") else ("Ketua",), "")
        for name in KECAMATAN
    ],
    ("Radio Suara Tangsel", "Suara Tangsel FM", "media", 3, 3, ("Produser Berita", "Penyiar"), "Media fiktif untuk demo."),
    ("Portal Berita Tangsel Hari Ini", "TangselHariIni", "media", 3, 4,
     ("Redaktur Pelaksana", "Reporter Politik"), "Media fiktif untuk demo."),
    ("Forum Jurnalis Tangerang Selatan", "Forum Jurnalis", "media", 2, 3, ("Koordinator",), ""),
    ("Jaringan Pemantau Pemilu Tangerang Selatan", "JPP Tangsel", "civil_society", 2, 5,
     ("Koordinator Pemantau", "Relawan Data"), "Pemantau terakreditasi KPU Kota."),
    ("Perkumpulan Pemilih Disabilitas Tangerang Selatan", "PPD Tangsel", "civil_society", 2, 5,
     ("Ketua", "Pendamping Hukum"), "Aksesibilitas TPS dan materi sosialisasi."),
    ("Forum Pemuda Peduli Demokrasi", "FPPD", "civil_society", 2, 4, ("Ketua",), ""),
    ("Pusat Kajian Pemilu, Universitas Tangerang Raya", "PKP UTR", "academia", 2, 3,
     ("Direktur", "Peneliti"), "Universitas fiktif untuk demo."),
    ("Fakultas Ilmu Sosial dan Ilmu Politik, Universitas Ciputat Madani", "FISIP UCM", "academia", 2, 3,
     ("Wakil Dekan III",), "Universitas fiktif untuk demo."),
    ("Forum Kerukunan Umat Beragama Kota Tangerang Selatan", "FKUB", "community", 3, 3,
     ("Ketua", "Sekretaris"), ""),
    ("Majelis Ulama Indonesia Kota Tangerang Selatan", "MUI Tangsel", "community", 3, 3, ("Sekretaris Umum", "Ketua Komisi Fatwa"), ""),
    ("Forum Komunikasi RT/RW Pondok Aren", "Forum RT/RW", "community", 2, 3, ("Ketua",), ""),
]

# Fictional people: every contact's name is first[i] + last[j] from these lists (see services).
FIRST_NAMES = (
    "Adi", "Agus", "Anisa", "Arif", "Ayu", "Bagus", "Bayu", "Cahya", "Dimas", "Eka", "Endah", "Fajar",
    "Fitri", "Galih", "Hana", "Hendro", "Ika", "Imam", "Irma", "Kurnia", "Laila", "Lukman", "Mega",
    "Nanda", "Novi", "Oktaviani", "Puspa", "Rahmat", "Ratih", "Rizal", "Sekar", "Sigit", "Tika",
    "Umar", "Vina", "Wahyu", "Wulan", "Yanti", "Yoga", "Zaenal",
)
LAST_NAMES = (
    "Hasibuan", "Baskoro", "Cahyadi", "Damanik", "Effendi", "Firmansyah", "Gultom", "Halim", "Iskandar",
    "Junaedi", "Kusnadi", "Lubis", "Maulana", "Nurhadi", "Pangaribuan", "Purba", "Rahardjo",
    "Sasmita", "Setiadi", "Sulistyo", "Santoso", "Tambunan", "Wiratama", "Widjaja", "Yusran", "Zulkarnain",
)

# (email, name, role, language); the passwords are random, printed once.
USERS = [
    ("admin.demo@example.org", "Yudha Prasetya", "admin", "id"),
    ("manajer.demo@example.org", "Ratna Kusumadewi", "manager", "id"),
    ("staf.demo@example.org", "Fikri Ardiansyah", "staff", "id"),
    ("staf2.demo@example.org", "Melati Handoko", "staff", "en"),
]

KPU_OFFICE = "Aula Kantor KPU Kota Tangerang Selatan"
