"""Load the demo federation and its users when the database has no units yet, and the demo
members and documents when there are none yet."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from django.db import transaction

from congdoan.accounts.models import User
from congdoan.accounts.permissions import Role
from congdoan.accounts.services import grant_role
from congdoan.documents.demo import load_demo_documents
from congdoan.emulation.demo import load_demo_contests, load_demo_initiatives
from congdoan.members.demo import load_demo_members
from congdoan.org.demo import DemoBuilder
from congdoan.org.models import Unit
from congdoan.portal.demo import load_demo_portals

DEMO_USERS = [
    # username, full name, role, unit code
    ("admin", "Quản trị hệ thống", Role.ADMIN, "TLD"),
    ("laocai.vanthu", "Lê Thị Hoa", Role.CLERK, "LCI"),
    ("laocai.lanhdao", "Nguyễn Hữu Long", Role.LEADER, "LCI"),
    ("laocai.vanphong", "Phạm Thị Mai", Role.SPECIALIST, "LCI-VP"),
    # writes for the Lào Cai portal; the văn thư (editor) and the leader publish
    ("laocai.phongvien", "Vũ Thị Ngọc Ánh", Role.SPECIALIST, "LCI"),
    ("apatit.chutich", "Hoàng Văn Sáng", Role.CHAIR, "LCI-TP-CS1"),
    ("thainguyen.vanthu", "Đặng Thu Trang", Role.CLERK, "TNN"),
    ("hatinh.chuyenvien", "Trần Minh Tuấn", Role.SPECIALIST, "HTH"),
    ("bhxh.chutich", "Nguyễn Xuân Quỳnh", Role.CHAIR, "HTH-VC-BHXH"),
    # jurors of the demo contest "Viết sáng kiến cải cách hành chính" (congdoan.emulation.demo)
    ("hatinh.giamkhao1", "Trần Đình Hùng", Role.SPECIALIST, "HTH"),
    ("hatinh.giamkhao2", "Nguyễn Thị Lan Anh", Role.SPECIALIST, "HTH"),
    ("hatinh.giamkhao3", "Lê Quang Vinh", Role.SPECIALIST, "HTH"),
]


class Command(BaseCommand):
    help = "Build the demo federation (Lào Cai, Bắc Kạn, Hà Tĩnh, ...) and its users."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--quiet-users", action="store_true", help="Do not print logins.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        password = os.environ.get("DEMO_PASSWORD", "congdoan-demo")
        if Unit.objects.exists():
            self.stdout.write("The database already has units; the demo was not loaded again.")
            load_demo_members(log=self.stdout.write)  # a demo loaded before members existed
            load_demo_documents(log=self.stdout.write)
            load_demo_initiatives(log=self.stdout.write)  # only when Lào Cai has none
            load_demo_portals(log=self.stdout.write)
            load_demo_contests(log=self.stdout.write)  # only when no contest exists
        else:
            with transaction.atomic():
                DemoBuilder(log=self.stdout.write).build()
                load_demo_members(log=self.stdout.write)
                for username, full_name, role, code in DEMO_USERS:
                    user = User.objects.create_user(
                        username=username,
                        password=password,
                        full_name=full_name,
                        is_staff=username == "admin",
                        is_superuser=username == "admin",
                    )
                    grant_role(None, user=user, unit=Unit.objects.get(code=code), role=role)
                load_demo_documents(log=self.stdout.write)
                load_demo_initiatives(log=self.stdout.write)
                load_demo_portals(log=self.stdout.write)
                load_demo_contests(log=self.stdout.write)
        if not options["quiet_users"]:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password: {password}):")
            for username, _full_name, role, code in DEMO_USERS:
                if User.objects.filter(username=username).exists():
                    unit = Unit.objects.get(code=code)
                    self.stdout.write(f"  {username:<20} {Role(role).label} – {unit.name}")
