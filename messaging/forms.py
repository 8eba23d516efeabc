from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput

from .models import Channel, MessageTemplate


class ContactConsentForm(BootstrapMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), initial=timezone.localdate)
    confirmed = forms.BooleanField(
        label=_("The candidate agreed to be contacted on this channel."),
        required=True,
    )


class ContactConsentWithdrawForm(BootstrapMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate)


class TemplateChoiceForm(BootstrapMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=MessageTemplate.objects.none())

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class MessageTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = [
            "code",
            "name",
            "channel",
            "language",
            "subject",
            "body",
            "provider_template_id",
            "is_active",
        ]
