"""The second demo election: "Simulasi Pilkada", an exercise running now.

Its stage calendar is the 2020 calendar moved so that the day the demo is loaded falls in the
campaign stage: the board, the overdue lists and the reminders have live work (issues due in
the coming days or a few days overdue, meetings next week), while the 2020 election stays a
finished one. Every date is computed once, when the demo is loaded; a later run leaves them.
The name and region say it is an exercise, on every page that shows the election.
"""

from datetime import date, timedelta

from coordapp.demo.issue_data import issue

ELECTION = {
    "name": "Simulasi Pilkada Kota Tangerang Selatan (latihan)",
    "slug": "simulasi-pilkada",
    "region": "Kota Tangerang Selatan, Banten - simulasi untuk latihan, bukan pemilihan sungguhan",
    "timezone": "Asia/Jakarta",
}
ANCHOR = date(2020, 10, 20)  # the 2020 day that "today" plays: four weeks into the campaign


def shift(today: date) -> timedelta:
    """Return how far the 2020 calendar moves so that its ANCHOR falls on today."""
    return today - ANCHOR


def meetings(today: date) -> list[dict]:
    """Describe the exercise's meetings: three held (with minutes), three coming (invitations only)."""

    def meeting(stage, title, kind, days, hour, orgs, agenda, agreements, public=False):
        return dict(
            stage=stage,
            title=title,
            kind=kind,
            day=today + timedelta(days=days),
            hour=hour,
            hours=2,
            location="KPU",
            public=public,
            orgs=orgs,
            agenda=agenda,
            points=("Pemaparan kondisi terkini oleh masing-masing pihak.",),
            agreements=agreements,
            correction=None,
        )

    return [
        meeting(
            "kampanye",
            "Simulasi: rakor pengamanan kampanye terbuka",
            "rakor",
            -16,
            9,
            ("Polres Tangsel", "Bawaslu Tangsel", "Satpol PP", "Paslon 1", "Paslon 2", "Paslon 3"),
            "Jadwal kampanye terbuka, izin lokasi, protokol kesehatan.",
            ("Izin lokasi kampanye diajukan paling lambat tiga hari sebelumnya.", "Satgas memantau kapasitas."),
            public=True,
        ),
        meeting(
            "daftar_pemilih",
            "Simulasi: rakor data pemilih pemula dengan Disdukcapil",
            "rakor",
            -12,
            13,
            ("Disdukcapil", "Bawaslu Tangsel"),
            "Pemilih pemula yang belum merekam e-KTP.",
            ("Disdukcapil membuka layanan perekaman di tujuh kecamatan.",),
            public=True,
        ),
        meeting(
            "logistik",
            "Simulasi: FGD kesiapan gudang logistik",
            "fgd",
            -5,
            10,
            ("PPK Pamulang", "PPK Setu", "Polres Tangsel"),
            "Kesiapan gudang dan jadwal sortir lipat surat suara.",
            ("Sortir lipat dimulai setelah surat suara tiba di gudang.",),
        ),
        meeting(
            "kampanye",
            "Simulasi: rakor evaluasi kampanye minggu kelima",
            "rakor",
            3,
            9,
            ("Bawaslu Tangsel", "Polres Tangsel", "Paslon 1", "Paslon 2", "Paslon 3"),
            "Evaluasi pelanggaran protokol kesehatan dan alat peraga kampanye.",
            (),
        ),
        meeting(
            "logistik",
            "Simulasi: kunjungan gudang logistik PPK Ciputat",
            "kunjungan",
            6,
            10,
            ("PPK Ciputat", "Kodim 0506"),
            "Pemeriksaan gudang dan pengamanan logistik.",
            (),
        ),
        meeting(
            "sosialisasi",
            "Simulasi: sosialisasi pemilih disabilitas bersama komunitas",
            "audiensi",
            10,
            13,
            ("PPD Tangsel", "Forum RT/RW"),
            "Akses TPS bagi pemilih dengan disabilitas.",
            (),
        ),
    ]


def issues(today: date) -> list[dict]:
    """Describe the exercise's issues: some resolved, most open, in progress or waiting with live due dates."""
    R = "resolved"
    return [
        issue(
            "daftar_pemilih",
            "high",
            R,
            ("Disdukcapil",),
            "Simulasi: pemilih pemula belum merekam e-KTP",
            "Ratusan pemilih pemula di dua kelurahan belum merekam e-KTP.",
            due=5,
            meeting="Simulasi: rakor data pemilih pemula dengan Disdukcapil",
            fix="Perekaman keliling dilaksanakan di sekolah.",
            public=True,
        ),
        issue(
            "kampanye",
            "normal",
            R,
            ("Satpol PP", "Paslon 2"),
            "Simulasi: alat peraga kampanye di luar zona",
            "Baliho dipasang di ruas jalan yang dilarang.",
            due=3,
            on=today - timedelta(days=14),
            fix="Tim paslon menurunkan baliho bersama Satpol PP.",
            public=True,
        ),
        issue(
            "kampanye",
            "high",
            "in_progress",
            ("Polres Tangsel", "Paslon 1"),
            "Simulasi: izin lokasi kampanye terbuka belum terbit",
            "Permohonan izin kampanye terbuka di lapangan kecamatan belum dijawab.",
            live=-3,
            meeting="Simulasi: rakor pengamanan kampanye terbuka",
        ),
        issue(
            "kampanye",
            "critical",
            "waiting",
            ("Dinkes", "Bawaslu Tangsel"),
            "Simulasi: pelanggaran protokol kesehatan saat kampanye",
            "Kerumunan melebihi batas pada kampanye tatap muka.",
            live=-5,
            on=today - timedelta(days=18),
        ),
        issue(
            "kampanye",
            "normal",
            "open",
            ("Diskominfo",),
            "Simulasi: hoaks jadwal pemungutan suara di media sosial",
            "Unggahan menyebut pemungutan suara diundur.",
            live=2,
            on=today - timedelta(days=3),
        ),
        issue(
            "logistik",
            "high",
            "in_progress",
            ("PPK Pamulang",),
            "Simulasi: atap gudang logistik bocor",
            "Atap gudang PPK bocor di sisi timur.",
            live=4,
            on=today - timedelta(days=15),
        ),
        issue(
            "logistik",
            "normal",
            "waiting",
            ("PPK Setu", "Polres Tangsel"),
            "Simulasi: jadwal pengamanan gudang belum disepakati",
            "Jadwal piket pengamanan gudang logistik belum ada.",
            live=-2,
            on=today - timedelta(days=16),
        ),
        issue(
            "sosialisasi",
            "normal",
            "open",
            ("PPD Tangsel",),
            "Simulasi: materi sosialisasi ramah disabilitas",
            "Materi sosialisasi belum tersedia dalam huruf Braille dan bahasa isyarat.",  # nobody took it yet
            on=today - timedelta(days=4),
        ),
        issue(
            "kampanye",
            "low",
            "open",
            ("Suara Tangsel FM",),
            "Simulasi: jadwal debat publik di radio",
            "Radio meminta kepastian jadwal siaran debat.",
            live=-1,
            on=today - timedelta(days=6),
        ),
        issue(
            "badan_adhoc",
            "normal",
            "in_progress",
            ("PPK Ciputat",),
            "Simulasi: pengganti anggota KPPS yang mengundurkan diri",
            "Dua anggota KPPS mengundurkan diri.",
            live=5,
            on=today - timedelta(days=14),
        ),
        issue(
            "logistik",
            "high",
            "in_progress",
            ("KPU Banten", "PPK Serpong"),
            "Simulasi: kekurangan surat suara untuk satu kelurahan",
            "Hasil hitung ulang menunjukkan surat suara kurang untuk satu kelurahan.",
            live=-6,
            on=today - timedelta(days=15),
        ),
    ]
