"""RDF namespaces. ``VET`` fails on a typo, and a test keeps it in sync with ontology/vet.ttl."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

from vetkg.spaces import ID_SPACE, ONTOLOGY_SPACE

VKG = Namespace(ID_SPACE)
CC = Namespace("http://creativecommons.org/ns#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")


class VET(DefinedNamespace):
    """The vetkg ontology, https://w3id.org/vetkg/ontology#."""

    _NS = Namespace(ONTOLOGY_SPACE)
    _fail = True

    About: URIRef
    ActorGroup: URIRef
    Alliance: URIRef
    AutonomousRegion: URIRef
    Award: URIRef
    Catalogue: URIRef
    City: URIRef
    CityIndustryEducationConsortium: URIRef
    Company: URIRef
    Competition: URIRef
    ConstructionUnit: URIRef
    CooperationBrand: URIRef
    CooperationProject: URIRef
    Country: URIRef
    CountryGroup: URIRef
    EconomicSector: URIRef
    EconomicZone: URIRef
    EducationLevel: URIRef
    EducationSystem: URIRef
    EducationalInstitution: URIRef
    Enacted: URIRef
    Event: URIRef
    Evidence: URIRef
    Experience: URIRef
    GovernmentBody: URIRef
    Group: URIRef
    Groups: URIRef
    HainanForeignRun: URIRef
    HigherVocationalCollege: URIRef
    ISCED2011: URIRef
    InConsultation: URIRef
    InLegislativePlan: URIRef
    Indicator: URIRef
    Industry: URIRef
    IndustryEducationCommunity: URIRef
    Initiative: URIRef
    InternationalOrganisation: URIRef
    IscedConcept: URIRef
    KeyRegion: URIRef
    Law: URIRef
    LearnerGroup: URIRef
    LegislativeStage: URIRef
    LegislativeStages: URIRef
    LubanWorkshop: URIRef
    Major: URIRef
    MajorCatalogue: URIRef
    MajorCategory: URIRef
    MajorClass: URIRef
    MajorGroup: URIRef
    MajorGroupConstructionUnit: URIRef
    Measure: URIRef
    MilitaryBody: URIRef
    MoreThan: URIRef
    Municipality: URIRef
    Nearly: URIRef
    ObservationStructure: URIRef
    Opinion: URIRef
    Ownership: URIRef
    Ownerships: URIRef
    PartyBody: URIRef
    Periodical: URIRef
    Plan: URIRef
    PolicyDocument: URIRef
    PressReport: URIRef
    Private: URIRef
    Programme: URIRef
    Province: URIRef
    ProvincialDivision: URIRef
    Public: URIRef
    PublicAuthority: URIRef
    PublicInstitution: URIRef
    Qualifier: URIRef
    Qualifiers: URIRef
    ReformPilot: URIRef
    RegisterRow: URIRef
    Regulation: URIRef
    Report: URIRef
    ResearchInstitution: URIRef
    SchoolConstructionUnit: URIRef
    SecondaryVocationalSchool: URIRef
    SinoForeignCooperative: URIRef
    SocialOrganisation: URIRef
    Source: URIRef
    SpecialAdministrativeRegion: URIRef
    Standard: URIRef
    Statement: URIRef
    SteeringCommittee: URIRef
    StrategicTask: URIRef
    Strategy: URIRef
    Task: URIRef
    TechnicalSchool: URIRef
    Theme: URIRef
    Themes: URIRef
    Tier: URIRef
    TierA: URIRef
    TierB: URIRef
    TierC: URIRef
    Tiers: URIRef
    Unit: URIRef
    University: URIRef
    VocationalInstitution: URIRef
    VocationalUniversity: URIRef
    amends: URIRef
    asOf: URIRef
    baseUnit: URIRef
    basedOn: URIRef
    checkedAgainst: URIRef
    chineseParty: URIRef
    chinesePartyName: URIRef
    cohort: URIRef
    cohortComponent: URIRef
    commissionedBy: URIRef
    concerns: URIRef
    concernsLevel: URIRef
    coreMajor: URIRef
    country: URIRef
    educationLevel: URIRef
    eurostatCode: URIRef
    foreignParty: URIRef
    fromCountry: URIRef
    gbt2260Code: URIRef
    hostName: URIRef
    implements: URIRef
    indicator: URIRef
    indicatorComponent: URIRef
    initiatedBy: URIRef
    institution: URIRef
    involves: URIRef
    iscedCategory: URIRef
    iscedKind: URIRef
    iscedLevel: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    iso3166_2: URIRef
    issuedBy: URIRef
    jurisdiction: URIRef
    ledBy: URIRef
    legislativeStage: URIRef
    listedName: URIRef
    locator: URIRef
    majorGroup: URIRef
    moeCode: URIRef
    multiplier: URIRef
    nationallyControlled: URIRef
    occasion: URIRef
    ownership: URIRef
    partner: URIRef
    priorityIndustry: URIRef
    programme: URIRef
    province: URIRef
    qualifier: URIRef
    qualifierComponent: URIRef
    quote: URIRef
    refPeriod: URIRef
    refPeriodComponent: URIRef
    reportedIn: URIRef
    reportedStatus: URIRef
    responsibleBody: URIRef
    result: URIRef
    role: URIRef
    rowNumber: URIRef
    scope: URIRef
    scopeComponent: URIRef
    secondSourceAgrees: URIRef
    serves: URIRef
    setOutIn: URIRef
    sourceFile: URIRef
    sponsor: URIRef
    succeeds: URIRef
    theme: URIRef
    tier: URIRef
    unit: URIRef
    unitComponent: URIRef
    value: URIRef
    valueComponent: URIRef


PREFIXES = {
    "vet": VET._NS,
    "vkg": VKG,
    "org": ORG,
    "schema": SCHEMA,
    "skos": SKOS,
    "prov": PROV,
    "qb": QB,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "vann": VANN,
    "wd": WD,
    "cc": CC,
    "dcat": DCAT,
    "void": VOID,
}


# The same prefixes as a JSON-LD context.
PREFIX_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def bind_prefixes(graph):
    """Bind the project's prefixes on an rdflib graph, replacing rdflib's defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
