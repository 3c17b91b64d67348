"""Stage templates an election can be seeded from (docs/reference.md, "Election stages").

Each row: code, Indonesian name, English name, phase, and the 2020 dates of the
Tangerang Selatan mayoral election (used by the demo; a new election gets no dates).
"""

from datetime import date

D = date
PILKADA_2020 = [
    (
        "perencanaan",
        "Perencanaan program dan anggaran",
        "Programme and budget planning",
        "preparation",
        D(2019, 9, 1),
        D(2019, 12, 31),
    ),
    (
        "regulasi",
        "Penyusunan peraturan penyelenggaraan",
        "Drafting the rules",
        "preparation",
        D(2019, 9, 1),
        D(2020, 6, 14),
    ),
    (
        "sosialisasi",
        "Perencanaan penyelenggaraan, sosialisasi dan bimbingan teknis",
        "Planning, outreach and technical guidance",
        "preparation",
        D(2019, 10, 1),
        D(2020, 12, 8),
    ),
    (
        "badan_adhoc",
        "Pembentukan PPK, PPS, KPPS dan PPDP",
        "Forming the ad-hoc bodies (PPK, PPS, KPPS, PPDP)",
        "preparation",
        D(2020, 1, 15),
        D(2020, 11, 24),
    ),
    (
        "pemantau",
        "Pendaftaran pemantau pemilihan",
        "Registering election observers",
        "preparation",
        D(2020, 6, 15),
        D(2020, 12, 2),
    ),
    (
        "dp4",
        "Penyerahan DP4",
        "Handing over the list of potential voters (DP4)",
        "preparation",
        D(2020, 6, 15),
        D(2020, 6, 17),
    ),
    (
        "daftar_pemilih",
        "Pemutakhiran dan penyusunan daftar pemilih",
        "Updating and compiling the voter list",
        "preparation",
        D(2020, 6, 18),
        D(2020, 10, 16),
    ),
    (
        "dukungan_perseorangan",
        "Pemenuhan syarat dukungan calon perseorangan",
        "Independent candidates' support requirements",
        "implementation",
        D(2020, 6, 24),
        D(2020, 8, 4),
    ),
    (
        "pendaftaran",
        "Pengumuman dan pendaftaran pasangan calon",
        "Announcing and registering candidate pairs",
        "implementation",
        D(2020, 8, 28),
        D(2020, 9, 6),
    ),
    (
        "penelitian",
        "Penelitian persyaratan calon",
        "Checking candidate requirements",
        "implementation",
        D(2020, 9, 4),
        D(2020, 9, 22),
    ),
    (
        "penetapan",
        "Penetapan pasangan calon dan pengundian nomor urut",
        "Naming the candidate pairs and drawing ballot numbers",
        "implementation",
        D(2020, 9, 23),
        D(2020, 9, 24),
    ),
    (
        "kampanye",
        "Kampanye, laporan dana kampanye (LADK, LPSDK, LPPDK)",
        "Campaign and campaign finance reports",
        "implementation",
        D(2020, 9, 26),
        D(2020, 12, 5),
    ),
    (
        "logistik",
        "Pengadaan dan distribusi logistik",
        "Procurement and distribution of voting material",
        "implementation",
        D(2020, 9, 1),
        D(2020, 12, 8),
    ),
    ("masa_tenang", "Masa tenang", "Quiet period", "implementation", D(2020, 12, 6), D(2020, 12, 8)),
    (
        "pemungutan",
        "Pemungutan dan penghitungan suara",
        "Voting and counting",
        "implementation",
        D(2020, 12, 9),
        D(2020, 12, 9),
    ),
    (
        "rekapitulasi",
        "Rekapitulasi hasil penghitungan suara",
        "Tallying the results",
        "implementation",
        D(2020, 12, 10),
        D(2020, 12, 17),
    ),
    (
        "penetapan_terpilih",
        "Penetapan pasangan calon terpilih",
        "Declaring the elected pair",
        "implementation",
        D(2020, 12, 18),
        D(2021, 1, 23),
    ),
    (
        "sengketa",
        "Penyelesaian pelanggaran dan sengketa hasil",
        "Violations and result disputes",
        "implementation",
        D(2020, 12, 18),
        D(2021, 3, 24),
    ),
    (
        "pengusulan",
        "Pengusulan pengesahan pengangkatan",
        "Proposing the winners' appointment",
        "implementation",
        D(2021, 1, 24),
        D(2021, 3, 31),
    ),
    ("evaluasi", "Evaluasi dan pelaporan", "Evaluation and reporting", "implementation", D(2021, 1, 1), D(2021, 4, 30)),
]

TEMPLATES = {"pilkada": PILKADA_2020}
