"""Built-in pools of invented people's names: common US and UK given names with their
nicknames, surnames and cities, for the simulated customer population.

No real person is described: the simulator draws names from these pools at random.

Examples
--------
>>> sorted(NICKNAMES["Robert"])
['Bob', 'Bobby', 'Rob']
>>> len(FIRST_NAMES) == len(MALE_NAMES) + len(FEMALE_NAMES)
True
"""

from __future__ import annotations

__all__ = [
    "CITIES",
    "CITY_COUNTRIES",
    "COUNTRY_LABEL",
    "FEMALE_NAMES",
    "FIRST_NAMES",
    "MALE_NAMES",
    "NICKNAMES",
    "RARE_SURNAMES",
    "SURNAMES",
    "TOWNS",
]

# Common given names, most frequent first, "Name:Nick,Nick" where nicknames are common.

_MALE = """James:Jim,Jimmy,Jamie Robert:Bob,Rob,Bobby John:Jack,Johnny Michael:Mike,Mikey
David:Dave,Davy William:Will,Bill,Billy,Liam Richard:Rick,Rich,Dick Joseph:Joe,Joey
Thomas:Tom,Tommy Charles:Charlie,Chuck Christopher:Chris,Kit Daniel:Dan,Danny Matthew:Matt
Anthony:Tony Mark Donald:Don,Donnie Steven:Steve Paul Andrew:Andy,Drew Joshua:Josh
Kenneth:Ken,Kenny Kevin Brian George Timothy:Tim,Timmy Ronald:Ron,Ronnie Edward:Ed,Eddie,Ted
Jason Jeffrey:Jeff Ryan Jacob:Jake Gary Nicholas:Nick,Nicky Eric Jonathan:Jon Stephen:Steve
Larry Justin Scott Brandon Benjamin:Ben,Benny Samuel:Sam,Sammy Gregory:Greg
Alexander:Alex,Xander Frank:Frankie Patrick:Pat,Paddy Raymond:Ray Jack Dennis Jerry Tyler
Aaron Jose Adam Nathan:Nate Henry:Harry,Hank Douglas:Doug Zachary:Zach,Zack Peter:Pete Kyle
Ethan Walter:Walt Noah Jeremy Christian Keith Roger Terry Gerald:Gerry Harold:Hal Sean Austin
Carl Arthur:Art,Artie Lawrence:Larry Dylan Jesse Jordan Bryan Bruce Gabriel:Gabe Logan
Albert:Al,Bert Alan:Al Juan Wayne Elijah:Eli Randy Roy Vincent:Vince,Vinny Ralph Eugene:Gene
Russell:Russ Mason Philip:Phil Louis:Lou Oliver:Ollie Harry Callum Connor Liam Owen Luke Leo
Oscar Alfie Archie Theodore:Theo,Ted,Teddy Frederick:Fred,Freddie Nigel Graham Stuart:Stu
Martin:Marty Simon Colin Ian Neil Gordon Malcolm:Mal Trevor Barry Derek Clive Rhys Gareth
Dominic:Dom Sebastian:Seb Reginald:Reggie,Reg Jonah Isaac:Ike Victor:Vic Leonard:Len,Lenny
Stanley:Stan Howard:Howie Francis:Frank Herbert:Herb Marcus Travis Shane Curtis Troy Seth
Cody Luis Carlos Miguel Evan Jake Toby Rory Jamal Darren Craig Lee Ross Dean Jared"""
_FEMALE = """Mary:Molly,Polly Patricia:Pat,Patty,Trish Jennifer:Jen,Jenny Linda
Elizabeth:Liz,Beth,Betty,Lizzie,Eliza Barbara:Barb,Babs Susan:Sue,Susie Jessica:Jess,Jessie
Sarah:Sally Karen Lisa Nancy Margaret:Maggie,Meg,Peggy Sandra:Sandy Ashley Kimberly:Kim
Emily:Em,Emmy Donna Michelle:Shelly Carol Amanda:Mandy Dorothy:Dot,Dottie Melissa:Mel,Missy
Deborah:Deb,Debbie Stephanie:Steph Rebecca:Becky,Becca Sharon Laura Cynthia:Cindy
Kathleen:Kathy,Kate Amy Angela:Angie Shirley Anna:Annie Brenda Pamela:Pam Emma Nicole:Nikki
Helen Samantha:Sam,Sammy Katherine:Kate,Katie,Kathy,Kat Christine:Chrissy Rachel Carolyn
Janet Catherine:Cathy,Kate,Cat Maria Heather Diane Ruth Julie Olivia:Liv Joyce
Virginia:Ginny Victoria:Vicky,Tori Kelly Lauren Christina:Tina Joan Evelyn:Evie Judith:Judy
Megan:Meg Andrea:Andi Cheryl Hannah Jacqueline:Jackie Martha Gloria Teresa:Terri,Tess Ann
Sara Madison:Maddie Frances:Fran Kathryn:Katie Janice:Jan Jean Abigail:Abby Alice
Sophia:Sophie Grace:Gracie Denise Amber Doris Marilyn Danielle:Dani Beverly:Bev
Isabella:Bella,Izzy Theresa:Tess Diana:Di Natalie:Nat Brittany Charlotte:Lottie Marie Kayla
Alexis:Lexi Lori Amelia:Millie Chloe Lucy Ella Isla Poppy Ruby Freya Mia Lily Ava Evie
Harriet:Hattie Georgia:Georgie Eleanor:Ellie,Nell Florence:Flo Imogen:Immy Philippa:Pippa
Gemma Kirsty Siobhan Fiona Lorraine Tracey Claire Joanne:Jo Nicola:Nicky Louise:Lou Zoe
Natasha:Tash Alexandra:Alex,Lexi Penelope:Penny Susannah:Suzie Josephine:Jo,Josie
Gabrielle:Gabby Veronica:Ronnie Roberta:Bobbie Wendy Valerie:Val Jillian:Jill Melanie:Mel
Rosemary:Rosie Jasmine:Jas Holly Leah Nadia Paige Erin Tina Yvonne"""
_SURNAMES = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White
Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen
Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez
Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy
Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan
Bell Coleman Butler Henderson Barnes Fisher Vasquez Simmons Romero Jordan Patterson Alexander
Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis
Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald
Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford
Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks
Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn
Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley Knight Elliott Cunningham
Duncan Armstrong Hudson Carroll Lane Riley Andrews Ray Berry Perkins Hoffman Johnston Matthews
Richards Willis Carpenter Lawrence Davies Wilkinson Walsh O'Brien O'Connor Byrne Doyle Lynch
Quinn Singh Khan Ali Ahmed Hussain Shah Thomson Lloyd Bates Barker Atkinson Fletcher Chapman
Marsh Pearce Dawson Holland Lamb Newton Fraser Burton Sutton Kerr Webster Hewitt Booth
Cartwright Hartley Whitehead Lowe Norris Parsons Rowe MacLeod Griffiths Jenkinson Pritchard"""
#: Cities of the population (name, ISO country code), most populous first.
#: (city, country code) pairs, largest first.
CITY_COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    (name.replace("_", " "), country)
    for country, names in (
        ("US", "New_York Los_Angeles Chicago Houston Phoenix Philadelphia San_Antonio San_Diego "
               "Dallas Austin Jacksonville Columbus Charlotte Indianapolis Seattle Denver Boston "
               "Nashville Portland Las_Vegas Detroit Memphis Baltimore Milwaukee Atlanta Miami "
               "Minneapolis Tampa Pittsburgh Cleveland"),
        ("GB", "London Birmingham Manchester Glasgow Leeds Liverpool Bristol Sheffield Edinburgh "
               "Cardiff Leicester Nottingham Newcastle Belfast Southampton Brighton Aberdeen "
               "Oxford Cambridge York"),
    )
    for name in names.split()
)  # fmt: skip
#: How a profile writes each country after its city.
COUNTRY_LABEL = {"US": "USA", "GB": "UK"}


def _pool(text: str) -> dict[str, tuple[str, ...]]:
    pool: dict[str, tuple[str, ...]] = {}
    for item in text.split():
        name, _, nicks = item.partition(":")
        pool.setdefault(name, tuple(nicks.split(",")) if nicks else ())
    return pool


#: Male and female given names, most frequent first, with their nicknames.
MALE_NAMES, FEMALE_NAMES = _pool(_MALE), _pool(_FEMALE)
FEMALE_NAMES = {k: v for k, v in FEMALE_NAMES.items() if k not in MALE_NAMES}
#: Given names and their common nicknames (a name without nicknames maps to ``()``).
NICKNAMES: dict[str, tuple[str, ...]] = {**MALE_NAMES, **FEMALE_NAMES}
FIRST_NAMES: tuple[str, ...] = tuple(NICKNAMES)
SURNAMES: tuple[str, ...] = tuple(dict.fromkeys(_SURNAMES.split()))
CITIES: tuple[str, ...] = tuple(c for c, _ in CITY_COUNTRIES)


#: Beginnings and endings of English-sounding surnames, joined into the rare-surname tail.
_RARE_HEADS = """Ash Ald Bar Bel Bick Black Brad Bram Brent Brook Bur Cal Carr Chad Chat Cheth
Cliff Cold Cres Crom Dal Dar Den Dun East Eld Elm Fair Farn Fen Fern Field Ford Gar Glad Good
Gran Green Ham Har Hat Haw Hay Hel Her Hol Horn Hunt Ing Ket Kin Kirk Lang Lath Lind Lock Long
Lud Mar Mel Mere Mid Mill Mor Nash New North Oak Ock Pem Pen Pick Pol Rad Ram Rath Red Ren Rid
Rock Rom Ros Rud Sand Sel Shel Sher Sil Stan Stock Stour Sud Swin Tal Tarn Thorn Tid Tol Trew
Tyr Under Wald War Wel West Whit Wick Wil Win Wit Wood Wor Yar"""
_RARE_TAILS = """bank bourne brook bury by cliff combe cote croft dale den don field ford gate
grave ham hurst ington kin land ley ling low man mer more ney nor over ridge rigg shaw stead
stone ston thorpe ton wick well win with wood worth"""
_COMMON = frozenset(SURNAMES)
#: Joins between a beginning and an ending ("" for none): Ash-ing-ley, Brad-er-wick.
_RARE_MIDDLES = ["", *"a am an ar by e el en er es et in ing ley ow ring ston ther".split()]
#: A long tail of rarer surnames (about 94,000, none in :data:`SURNAMES`). In the 2010 US
#: census, 6.3 million surnames were reported, 62% of them by one person only, and Smith,
#: the commonest, was 0.83% of people (2,442,977 of about 295 million): most people have a
#: surname outside any short list, shared with few others.
RARE_SURNAMES: tuple[str, ...] = tuple(
    name
    for name in dict.fromkeys(
        head + middle + tail
        for head in _RARE_HEADS.split()
        for middle in _RARE_MIDDLES
        for tail in _RARE_TAILS.split()
    )
    if name not in _COMMON
)
#: Endings of generated town names in each country.
_TOWN_TAILS = {"US": "ville burg port field dale wood springs".split(),
               "GB": "ford bury ham wick ley mouth stead".split()}  # fmt: skip
#: Smaller places (name, ISO country code), generated: most people live outside the big
#: cities of :data:`CITY_COUNTRIES`.
TOWNS: tuple[tuple[str, str], ...] = tuple(
    (head + tail, country)
    for country, tails in _TOWN_TAILS.items()
    for head in _RARE_HEADS.split()
    for tail in tails
)
