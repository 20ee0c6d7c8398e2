from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from teams.models import Membership, Responsibility, Shift, Shop, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Profile", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email")
    inlines = [MembershipInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "timezone")
    list_filter = ("parent",)
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role", "position", "active")
    list_filter = ("team", "role", "position", "active")
    search_fields = ("user__username", "user__display_name")
    autocomplete_fields = ["user", "team"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "team", "active")
    list_filter = ("team", "active")
    search_fields = ("name", "code")


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ("category", "team", "owner", "backup")
    list_filter = ("team",)
    search_fields = ("category",)
    autocomplete_fields = ["owner", "backup"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "team", "start_time", "end_time")
    list_filter = ("team", "date")
    date_hierarchy = "date"
    autocomplete_fields = ["user"]
