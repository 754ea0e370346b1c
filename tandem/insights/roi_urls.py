"""The roi pages' routes, included in tandem.insights.urls (namespace "insights")."""

from django.urls import path

from tandem.insights.views import roi

urlpatterns = [
    path("programs/<int:pk>/roi/inputs/", roi.roi_inputs, name="roi-inputs"),
    path("programs/<int:pk>/roi/settings/", roi.roi_settings_save, name="roi-settings"),
    path("programs/<int:pk>/roi/salary-bands/", roi.salary_bands_save, name="roi-salary-bands"),
    path("programs/<int:pk>/roi/benefits/", roi.benefit_add, name="roi-benefit-add"),
    path("programs/<int:pk>/roi/intangibles/", roi.intangible_add, name="roi-intangible-add"),
    path("benefits/<int:pk>/edit/", roi.benefit_edit, name="roi-benefit-edit"),
    path("benefits/<int:pk>/delete/", roi.benefit_delete, name="roi-benefit-delete"),
    path("intangibles/<int:pk>/delete/", roi.intangible_delete, name="roi-intangible-delete"),
]
