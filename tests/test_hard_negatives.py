"""Posts that look dangerous but are fine must stay clean: a linter that cries wolf is uninstalled."""

from __future__ import annotations

import pytest

from .conftest import CheckFn

HARD_NEGATIVES = [
    "Patients 65+ should get the flu shot this season.",
    "Grand rounds today in Room 204 at noon: sepsis update.",
    "Our hospital turns 100 this year! Founded in 1926.",
    "Congratulations to Dr. Priya Natarajan, this year's Daisy Award winner!",
    "Welcome Nurse Manager Tom Becker to the ICU team.",
    "Call (555) 201-4000 to book your mammogram.",
    "Book online or email appointments@lakeshorehealth.org.",
    "Visit us at 1200 Harbor Drive for the health fair.",
    "5-year survival for stage I is now 92% (vs 85% in 2010).",
    "Now enrolling: NCT04567890. Ask your oncologist.",
    "Adults aged 18-64 need one Tdap dose.",
    "Kids under 5 with fever for more than 5 days: think Kawasaki.",
    "Crisis? Call or text 988, any time.",
    "In 2019 we opened the new cancer center.",
    "Team selfie after the Turkey Trot 5k! 🦃",
    "Give blood this Friday at the blood drive in the lobby.",
    "Journal club tonight: the ARDS trial everyone is talking about.",
    "Thank you Senator Hollis for supporting nurse staffing ratios!",
    "Call your representative today and ask them to vote yes on H.123.",
    "Proud to present our QI project at the MISHC collegium.",
    "Our 24-bed unit is hiring night-shift RNs. Apply at lakeshorehealth.org/careers",
    "Celebrating 25 years of service: thank you, Maria!",
    "Patient Safety Awareness Week starts Monday.",
    "Happy Nurses Week to the best team on 4 West!",
    "The 2026 Lakeshore Gala raised $2.4M for pediatric care.",
    "Stop the Bleed training in the sim lab today, photos below!",
    "Wound care nurses week: thank you for all you do.",
    "Our ED sees 250000 visits a year.",
    "I'm 35 years old and just matched into general surgery!",
    "My 6 year old drew this for the nurses ❤️",
    "Phone lines for flu shots open at 8am: (555) 201-4000.",
    "Heart attack symptoms in women can be subtle. Know the signs.",
    "Free BP checks at the farmers market on Saturday.",
    "Residents: M&M moved to Room 3B this week.",
    "Happy retirement to Dr. Alan Park after 40 years in the OR!",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negative_stays_clean(check: CheckFn, text: str) -> None:
    findings = check(text)
    assert findings == [], [(f.rule, f.match) for f in findings]


def test_official_account_using_its_own_brand_is_clean(check: CheckFn) -> None:
    assert check("Flu clinic Saturday!", handle="@LakeshoreHealth") == []
    assert check("Flu clinic Saturday!", handle="@LakeshoreCardiology", account="official") == []


@pytest.mark.parametrize(
    "bio",
    [
        "ICU RN. Views are my own.",
        "Surgeon, dad. Opinions my own",
        "EM doc | RTs ≠ endorsement",
        "Cardiology fellow. OAMO.",
        "Views are mine, not my employer's.",
        "Tweets are my own and do not reflect my employer.",
        "Peds hospitalist. Personal views only.",
        "Oncologist. All opinions are my own.",
    ],
)
def test_bios_with_a_disclaimer_in_any_common_wording(check: CheckFn, bio: str) -> None:
    assert check("hello", bio=bio) == []
