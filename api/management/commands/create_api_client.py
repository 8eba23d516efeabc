"""manage.py create_api_client --name NAME --municipality 36.73 --scopes read[,write,personal-data]"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import Municipality

from ...services import SYSTEM, api_client_create


class Command(BaseCommand):
    help = "Create an API client and print its token (once: only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--municipality", help="Kemendagri code, e.g. 36.73; leave out for a national client")
        parser.add_argument("--scopes", default="read", help="comma-separated: read, write, personal-data")
        parser.add_argument("--expires-in-days", type=int, default=365, help="0: never expires")

    def handle(self, *args, name, municipality, scopes, expires_in_days, **options):
        owner = None
        if municipality:
            owner = Municipality.objects.filter(code=municipality).first()
            if owner is None:
                raise CommandError(f"No municipality with the code {municipality}.")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            client, token = api_client_create(
                user=SYSTEM,
                name=name,
                municipality=owner,
                scopes=[s.strip() for s in scopes.split(",") if s.strip()],
                expires_at=expires_at,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        scope = owner.name if owner else "national (aggregates only)"
        self.stderr.write(f"API client {client.name} for {scope}, scopes {', '.join(client.scopes)}.")
        self.stderr.write("The token is shown only now; store it safely:")
        self.stdout.write(token)
