"""The ready templates, for every office (municipality null), in Bahasa Indonesia and English, for
WhatsApp, SMS and e-mail. The WhatsApp provider template id is the name to register them under."""

from django.db import migrations

READY = {
    "training_schedule": (
        (
            "Jadwal pelatihan",
            "Jadwal pelatihan {programme}",
            "Halo {name}, pelatihan {programme} Anda dimulai {date} di {place}. Mohon datang tepat waktu dan membawa KTP.",
        ),
        (
            "Training schedule",
            "{programme} training schedule",
            "Hello {name}, your {programme} training starts on {date} at {place}. Please be on time and bring your ID card.",
        ),
    ),
    "documents_missing": (
        (
            "Dokumen belum lengkap",
            "Dokumen {programme} belum lengkap",
            "Halo {name}, untuk {programme} dokumen berikut masih kurang: {documents_missing}. Mohon serahkan ke Disnaker secepatnya.",
        ),
        (
            "Documents missing",
            "Documents missing for {programme}",
            "Hello {name}, for {programme} these documents are still missing: {documents_missing}. Please bring them to the labour office soon.",
        ),
    ),
    "departure_briefing": (
        (
            "Pembekalan keberangkatan",
            "Pembekalan keberangkatan {programme}",
            "Halo {name}, pembekalan keberangkatan {programme} diadakan {date} di {place}. Kehadiran wajib.",
        ),
        (
            "Departure briefing",
            "{programme} departure briefing",
            "Hello {name}, the {programme} departure briefing is on {date} at {place}. Attendance is required.",
        ),
    ),
    "contact_check_abroad": (
        (
            "Cek kabar di luar negeri",
            "Kabar Anda di {place}",
            "Halo {name}, Disnaker menanyakan kabar Anda di {place} ({programme}). Balas pesan ini bila ada yang perlu dibantu.",
        ),
        (
            "Contact check abroad",
            "How are you in {place}?",
            "Hello {name}, the labour office is checking in on you in {place} ({programme}). Reply to this message if you need help.",
        ),
    ),
    "return_debrief": (
        (
            "Undangan pertemuan purna",
            "Undangan pertemuan purna {programme}",
            "Selamat datang kembali, {name}. Kami mengundang Anda ke pertemuan purna {programme} pada {date} di {place}.",
        ),
        (
            "Return debrief invitation",
            "{programme} return debrief",
            "Welcome back, {name}. We invite you to the {programme} return debrief on {date} at {place}.",
        ),
    ),
    "next_season": (
        (
            "Undangan musim berikutnya",
            "Musim baru {programme}",
            "Halo {name}, musim baru {programme} dibuka. Bila ingin ikut kembali, hubungi Disnaker sebelum {date}.",
        ),
        (
            "Next-season invitation",
            "A new season of {programme}",
            "Hello {name}, a new season of {programme} is open. If you wish to take part again, contact the labour office before {date}.",
        ),
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for code, languages in READY.items():
        for language, (name, subject, body) in zip(("id", "en"), languages, strict=True):
            for channel in ("whatsapp", "sms", "email"):
                MessageTemplate.objects.update_or_create(
                    municipality=None,
                    code=code,
                    channel=channel,
                    language=language,
                    defaults={
                        "name": name,
                        "subject": subject if channel == "email" else "",
                        "body": body,
                        "provider_template_id": f"rantau_{code}" if channel == "whatsapp" else "",
                    },
                )


def unload(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.filter(municipality=None, code__in=list(READY)).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
