"""Demo accountability reports for a finished election: per stage and whole election, budget lines, a correction.

The budget figures are illustrative and say so in every report. The demo seeding calls
``seed_demo_reports(election)`` after the election's meetings and issues exist, so the frozen
figures come from them; running it twice adds nothing.
"""

from datetime import UTC, date, datetime, time, timedelta

from coordapp.auth.models import User
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.reports import services
from coordapp.reports.models import AccountabilityReport, ChannelPost

ILLUSTRATIVE = (
    "> **Catatan demo:** angka anggaran dan partisipasi dalam laporan ini bersifat ilustratif, "
    "bukan angka resmi KPU Kota Tangerang Selatan."
)

# code (None: whole election), title, days after the stage's end, narrative, budget lines, participation
REPORTS = [
    (
        "daftar_pemilih",
        "Laporan pertanggungjawaban tahapan pemutakhiran data pemilih",
        7,
        "## Ringkasan\nPencocokan dan penelitian (coklit) dilakukan oleh PPDP di seluruh kelurahan. "
        "Daftar pemilih tetap ditetapkan dalam rapat pleno terbuka.\n\n## Kendala utama\n"
        "- Data pemilih ganda antar-kelurahan\n- Pemilih pindah domisili tanpa dokumen",
        [
            ("521211", "Rapat koordinasi pemutakhiran data pemilih", 45_000_000, 41_250_000, "Dua rapat digabung"),
            ("521213", "Honorarium PPDP", 1_850_000_000, 1_850_000_000, ""),
            ("522151", "Alat pelindung diri untuk coklit", 310_000_000, 287_400_000, "Harga pengadaan lebih rendah"),
        ],
        None,
    ),
    (
        "kampanye",
        "Laporan pertanggungjawaban tahapan kampanye",
        9,
        "## Ringkasan\nKampanye berlangsung di masa pandemi; rapat umum diganti pertemuan terbatas dan daring.\n\n"
        "## Laporan dana kampanye\nKetiga pasangan calon menyerahkan LADK, LPSDK dan LPPDK tepat waktu.",
        [
            ("521211", "Fasilitasi debat publik pasangan calon", 600_000_000, 574_800_000, "Debat tanpa penonton"),
            ("521219", "Alat peraga kampanye", 920_000_000, 901_300_000, ""),
            ("524111", "Pengawasan dan monitoring kampanye", 150_000_000, 96_000_000, "Sebagian monitoring daring"),
        ],
        None,
    ),
    (
        "logistik",
        "Laporan pertanggungjawaban tahapan logistik",
        12,
        "## Ringkasan\nSurat suara dan perlengkapan TPS diterima, disortir dan didistribusikan ke 3.010 TPS.",
        [
            ("521811", "Pencetakan surat suara", 2_400_000_000, 2_318_000_000, "Harga lelang lebih rendah"),
            ("521811", "Perlengkapan TPS dan protokol kesehatan", 3_100_000_000, 3_046_500_000, ""),
            ("524113", "Distribusi logistik ke PPK", 410_000_000, 398_250_000, ""),
        ],
        None,
    ),
    (
        "pemungutan",
        "Laporan pertanggungjawaban pemungutan dan penghitungan suara",
        10,
        "## Ringkasan\nPemungutan suara 9 Desember 2020 berjalan dengan protokol kesehatan di semua TPS.",
        [("521213", "Honorarium KPPS", 8_400_000_000, 8_392_000_000, "Sebagian kecil KPPS diganti")],
        (976_124, 573_000, 943_000, 537_500),
    ),
    (
        None,
        "Laporan pertanggungjawaban Pilkada Kota Tangerang Selatan 2020",
        14,
        "## Ringkasan\nLaporan kinerja dan realisasi anggaran seluruh tahapan, sebagaimana disampaikan kepada "
        "Pemerintah Kota dan KPU RI melalui KPU Provinsi Banten, kini juga untuk publik.\n\n## Rekomendasi\n"
        "- Publikasikan laporan per tahapan segera setelah tahapan berakhir\n- Gunakan semua kanal media",
        [
            ("5212", "Belanja barang operasional seluruh tahapan", 21_500_000_000, 20_384_600_000, "Efisiensi"),
            ("5213", "Honorarium badan ad hoc", 32_000_000_000, 31_862_000_000, ""),
            ("5241", "Perjalanan dinas", 1_200_000_000, 805_000_000, "Banyak kegiatan daring"),
        ],
        (976_124, 573_000, 943_000, 537_500),
    ),
]
CHANNELS = ("website", "instagram", "facebook", "whatsapp", "press_release", "notice_board")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour)).replace(tzinfo=UTC) - timedelta(hours=7)  # WIB -> UTC


def _users() -> tuple[User, User]:
    managers = list(db.session.scalars(db.select(User).where(User.role == "manager").order_by(User.id)))
    admins = list(db.session.scalars(db.select(User).where(User.role == "admin").order_by(User.id)))
    if not managers or len(managers) + len(admins) < 2:
        raise ValueError("the demo reports need a manager and another manager or an admin")
    return managers[0], (managers[1:] + admins)[0]


def _publish(version, author, approver, day: date) -> None:
    services.submit(version, author, now=_at(day - timedelta(days=2), 15))
    services.approve(version, approver, now=_at(day, 9))
    services.publish(version, approver, now=_at(day, 14))


def seed_demo_reports(election, today: date | None = None) -> list[AccountabilityReport]:
    """Add the demo's published reports (one corrected in a second version) with channel-log entries.

    Only for stages that ended (with their reporting delay) before today: a current election gets
    reports for its finished stages, never one dated in the future.
    """
    today = today or local_today(election.timezone)
    existing = db.select(AccountabilityReport.id).where(AccountabilityReport.election_id == election.id)
    if db.session.scalar(existing.limit(1)) is not None:
        return []
    author, approver = _users()
    stages = {s.code: s for s in election.stages}
    last_end = max((s.end_date for s in election.stages if s.end_date), default=date(2021, 4, 30))
    made = []
    for n, (code, title, lag, narrative, lines, people) in enumerate(REPORTS):
        stage = stages.get(code) if code else None
        if code and (stage is None or stage.end_date is None):
            continue
        day = (stage.end_date if stage else last_end) + timedelta(days=lag)
        if day + timedelta(days=6 + len(CHANNELS)) > today:
            continue
        fields = {"title": title, "narrative": ILLUSTRATIVE + "\n\n" + narrative}
        if people:
            fields.update(zip(services.VERSION_FIELDS[2:], people, strict=True))
        report = services.create_report(election, stage, author, **fields)
        version = report.latest
        for account, description, allocated, realised, note in lines:
            services.add_budget_line(
                version,
                account_code=account,
                description=description,
                stage_id=stage.id if stage else None,
                allocated=allocated,
                realised=realised,
                variance_note=note,
            )
        if code == "logistik":  # the correction: version 1 carried a typing error in one amount
            version.budget_lines[0].realised = 2_813_000_000
            _publish(version, author, approver, day)
            note = "Realisasi pencetakan surat suara salah ketik (Rp 2.813.000.000); yang benar Rp 2.318.000.000."
            version = services.new_version(report, approver, note)
            version.budget_lines[0].realised = 2_318_000_000
            day += timedelta(days=6)
        _publish(version, author, approver, day)
        for k, channel in enumerate(CHANNELS[: 2 + n % 4]):
            url = "" if channel == "notice_board" else f"https://kota-tangsel.kpu.example/laporan/{report.id}/{channel}"
            report.channel_posts.append(
                ChannelPost(channel=channel, url=url, posted_date=day + timedelta(days=k // 2), recorded_by=approver)
            )
        made.append(report)
    db.session.flush()
    return made
