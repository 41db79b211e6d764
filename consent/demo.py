# ruff: noqa: E501 - the statement texts are paragraphs, one per line
"""Demo content of the consent app: statement version 1 and the choices of the families whose
features other apps demonstrate. anna and chris stay undecided to show the first login."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from consent.models import PrivacyStatement, Purpose, StatementAcceptance
from consent.selectors import own_decisions
from consent.services import consent_decide
from daycare.models import Guardianship

TEXT_NL = """\
## Privacyverklaring ouderportaal

Kinderopvang De Kleine Stad (hierna: wij) gebruikt het ouderportaal, een website die u ook op uw telefoon gebruikt. Via het ouderportaal communiceert u eenvoudig met ons over de opvang, de verzorging en het welzijn van uw kind.

Als u het ouderportaal gebruikt, verwerken wij persoonsgegevens van u en van uw kind. Wij gaan daar zorgvuldig en vertrouwelijk mee om en houden ons aan de Algemene Verordening Gegevensbescherming (AVG). In deze verklaring leggen wij uit welke gegevens wij verwerken, waarom, en wat u zelf kunt kiezen.

## Privacy en toestemming

De eerste keer dat u inlogt, vragen wij u per kind om twee keuzes:
- toestemming voor foto's van uw kind in het ouderportaal;
- toestemming voor het dagboek: korte schriftelijke verslagen over de dag van uw kind.

Ja en nee zijn allebei gewone keuzes. Zonder toestemming kunt u het ouderportaal nog steeds gebruiken om informatie over de vestiging te lezen, nieuwsbrieven en algemeen nieuws van uw vestiging te ontvangen, uw kind af te melden en berichten te sturen aan de medewerkers van de groep van uw kind.

Heeft uw kind twee ouders of verzorgers met een account, dan kiest ieder voor zich. Foto's en het dagboek staan alleen aan als ten minste één van u ja heeft gezegd en niemand nee. Een nee van één ouder gaat altijd voor. Wijzigt een ouder een keuze, dan krijgt de andere ouder daarover een e-mail.

U kunt uw keuzes op ieder moment wijzigen of intrekken onder Privacykeuzes. Een intrekking werkt direct. Elke keuze bewaren wij met datum, tijd en de versie van deze verklaring, zodat wij kunnen aantonen waarvoor u toestemming gaf.

Deze verklaring gaat alleen over wat wij met uw gegevens doen. Geeft u zelf via het ouderportaal gegevens aan anderen, dan bent u daarvoor zelf verantwoordelijk.

Het ouderportaal wordt voor ons gebouwd en beheerd door een leverancier. Met deze verwerker hebben wij een verwerkersovereenkomst gesloten, zodat ook de verwerker zorgvuldig met uw gegevens omgaat. De privacyverklaring van de verwerker vindt u via de link onder deze verklaring.

## Waarvoor wij uw gegevens gebruiken

Wij verwerken gegevens om de zorg voor uw kind te verbeteren en makkelijker te maken: u en onze medewerkers delen eenvoudig informatie over uw kind, de groep en de vestiging. Met foto's en verslagen beleeft u de dag van uw kind mee.

Heeft u toestemming gegeven voor foto's, dan kan uw kind op een groepsfoto staan. Een groepsfoto zien ook de ouders van de andere kinderen op die foto. Wij hebben geen zeggenschap over wat ouders met zulke foto's doen. Wij vragen u daarom groepsfoto's niet te verspreiden of openbaar te maken. Een groepsfoto is alleen te zien zolang alle kinderen op de foto toestemming hebben.

Uw contactgegevens gebruiken wij om de opvangovereenkomst uit te voeren en om contact met u te houden.

## Hoe lang wij gegevens bewaren

Wij bewaren de gegevens van u en uw kind niet langer dan nodig is voor deze doelen.

Na het einde van het opvangcontract zijn de gegevens van uw kind nog 8 weken zichtbaar voor u en voor onze medewerkers. In die tijd kunt u het dagboek en de foto's van uw kind downloaden. Daarna archiveren wij de gegevens. Eén jaar na het einde van het opvangcontract vernietigen wij ze.

## Uw rechten

U heeft het recht de gegevens van uzelf of uw kind in te zien, te laten verbeteren of te laten verwijderen. U dient een verzoek in via het ouderportaal of bij onze klantenservice. Wij behandelen uw verzoek zo snel mogelijk en uiterlijk binnen 4 weken.

Meer over hoe wij met persoonsgegevens omgaan leest u in ons algemene privacyreglement (link onder deze verklaring).

## Beveiliging

Alle gegevens in het ouderportaal staan in een beveiligde omgeving. Foto's, verslagen en downloads zijn alleen bereikbaar voor wie is ingelogd en er recht op heeft. Wij doen ons uiterste best te voorkomen dat onbevoegden bij uw gegevens komen. Help ons daarbij: kies een sterk wachtwoord, zet inloggen in twee stappen aan en houd uw inloggegevens voor uzelf.

## Wijzigingen in deze verklaring

Wij kunnen deze verklaring wijzigen. Een nieuwe versie kondigen wij op tijd aan per e-mail en in het ouderportaal. Bij uw volgende inlog laten wij zien wat er veranderd is en vragen wij u de nieuwe versie te accepteren. Wij leggen vast welke versie u wanneer heeft geaccepteerd.

## Contact

Voor vragen, opmerkingen en verzoeken kunt u terecht bij onze klantenservice (gegevens onder deze verklaring).
"""

TEXT_EN = """\
## Privacy statement of the parent portal

Kinderopvang De Kleine Stad ("we") uses the parent portal, a website that also works on your phone. Through the parent portal you can easily communicate with us about the care and well-being of your child.

When you use the parent portal, we process personal data of you and your child. We handle it carefully and confidentially and comply with the General Data Protection Regulation (GDPR). This statement explains which data we process, why, and what you can choose yourself.

## Privacy and consent

The first time you log in, we ask you two choices for each child:
- consent for photos of your child in the parent portal;
- consent for the diary: short written reports about your child's day.

Yes and no are both normal choices. Without consent you can still use the parent portal to read information about the location, receive newsletters and general news of your location, report your child absent and send messages to the staff of your child's group.

If your child has two parents or guardians with an account, each decides for themselves. Photos and the diary are on only when at least one of you said yes and nobody said no. A no from one parent always wins. When a parent changes a choice, the other parent receives an e-mail about it.

You can change or withdraw your choices at any moment under Privacy choices. A withdrawal takes effect immediately. We keep every choice with its date, time and the version of this statement, so that we can prove what you consented to.

This statement only covers what we do with your data. If you share data with others through the parent portal yourself, you are responsible for that.

The parent portal is built and run for us by a supplier. We have a data processing agreement with this processor, so that the processor also handles your data carefully. You find the processor's privacy statement through the link below this statement.

## What we use your data for

We process data to improve and ease the care for your child: you and our staff easily share information about your child, the group and the location. With photos and reports you share in your child's day.

If you consented to photos, your child may appear on a group photo. A group photo is also seen by the parents of the other children on it. We have no control over what parents do with such photos. We therefore ask you not to spread group photos or make them public. A group photo is only visible while every child on it has consent.

We use your contact details to carry out the childcare contract and to stay in touch with you.

## How long we keep data

We keep the data of you and your child no longer than needed for these purposes.

After the childcare contract ends, your child's data remains visible to you and our staff for 8 weeks. During that time you can download your child's diary and photos. After that we archive the data. One year after the end of the childcare contract we destroy it.

## Your rights

You have the right to see, correct or erase the data of yourself or your child. Send a request through the parent portal or to our customer service. We handle your request as soon as possible and within 4 weeks at the latest.

Read more about how we handle personal data in our general privacy regulation (link below this statement).

## Security

All data in the parent portal is kept in a protected environment. Photos, reports and downloads can only be reached by people who are logged in and entitled to them. We do our utmost to prevent unauthorised access to your data. Help us: choose a strong password, turn on two-step login and keep your login details to yourself.

## Changes to this statement

We may change this statement. We announce a new version in time by e-mail and in the parent portal. At your next login we show what changed and ask you to accept the new version. We record which version you accepted and when.

## Contact

For questions, remarks and requests, contact our customer service (details below this statement).
"""

SUMMARY_NL = "Eerste versie van de privacyverklaring van het ouderportaal."
SUMMARY_EN = "First version of the privacy statement of the parent portal."

# Families whose photos and diary other apps demonstrate: yes to both.
CONSENTING_PARENTS = ("dewi", "bram", "fleur")


def seed(*, today) -> None:
    published = timezone.make_aware(datetime.combine(today - timedelta(days=60), time(9, 0)))
    statement, _created = PrivacyStatement.objects.get_or_create(
        version=1,
        defaults={
            "text_nl": TEXT_NL,
            "text_en": TEXT_EN,
            "summary_nl": SUMMARY_NL,
            "summary_en": SUMMARY_EN,
            "published_at": published,
        },
    )
    for key in CONSENTING_PARENTS:
        guardianships = Guardianship.objects.filter(
            user__email=f"{key}@example.org", child__archived_at__isnull=True
        ).select_related("user", "child")
        for guardianship in guardianships:
            user, child = guardianship.user, guardianship.child
            StatementAcceptance.objects.get_or_create(
                user=user, statement=statement, defaults={"accepted_at": published}
            )
            own = own_decisions(user, [child])[child.pk]
            for purpose in Purpose.values:
                if own[purpose] is None:
                    consent_decide(child=child, purpose=purpose, given=True, decided_by=user)
