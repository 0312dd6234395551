"""The published sources the scorecard and the replication episodes cite, each with where it was read.

The numbers are quoted in gigsim.analysis.scorecard and gigsim.analysis.replicate; every one was read
in the text at `url` (many are third-party copies of the paper: noted in `note`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    author: str
    year: int
    title: str
    url: str
    note: str = ""

    def cite(self) -> str:
        return f"{self.author} ({self.year}), {self.title}"

    def short(self) -> str:
        return f"{self.author} {self.year}"


HALL_KRUEGER_2018 = Source(
    "Hall & Krueger", 2018, "An Analysis of the Labor Market for Uber's Driver-Partners in the United States, "
    "ILR Review (NBER w22843)",
    "https://relayto.com/relayto/an-analysis-of-the-labor-market-for-uber-s-driver-partners-in-the-united-states-"
    "o9owetl5dzdju/iPmv6dA421", "read in a copy of the working paper; the hours-share figure via Bloomberg (2017)")
HALL_KRUEGER_2016 = Source(
    "Hall & Krueger", 2016, "An Analysis of the Labor Market for Uber's Driver-Partners (NBER Digest summary)",
    "https://demomemo.blogspot.com/2016/11/everything-you-wanted-to-know-about.html", "secondary summary")
COOK_2021 = Source(
    "Cook, Diamond, Hall, List & Oyer", 2021, "The Gender Earnings Gap in the Gig Economy, Review of Economic "
    "Studies (Table 1 as tabulated by Mishel 2018)",
    "https://www.epi.org/chart/larry-uber-table-2-uber-driver-fares-compensation-and-wages-2015-2017/")
CRAMER_KRUEGER_2016 = Source(
    "Cramer & Krueger", 2016, "Disruptive Change in the Taxi Business: The Case of Uber, AER Papers & Proceedings",
    "https://econbrowser.com/archives/2016/03/uber-efficiency", "numbers read in a summary; NYC 58%: TLC via Slate")
MISHEL_2018 = Source(
    "Mishel", 2018, "Uber and the labor market, Economic Policy Institute",
    "https://epi.org/press/uber-drivers-earn-the-equivalent-of-9-21-in-hourly-wages-uber-and-other-gig-platforms-"
    "account-for-far-less-of-the-economy-than-many-estimates-suggest")
RSG_2017 = Source(
    "Campbell (The Rideshare Guy) & Maffie", 2017, "Rideshare driver survey",
    "http://www.powapod.com/looking-at-the-important-results-of-a-new-rideshare-research/",
    "weak: a paraphrase of a driver survey; no representative estimate was found")
FARRELL_GREIG_2016 = Source(
    "Farrell & Greig", 2016, "Paychecks, Paydays, and the Online Platform Economy, JPMorgan Chase Institute",
    "https://www.jpmorganchase.com/institute/all-topics/careers-and-skills/insight-online-platform-econ-earnings",
    "the 75% figure via Silberman (Medium), quoting p. 24")
FARRELL_GREIG_2017 = Source(
    "Farrell & Greig", 2017, "The Online Platform Economy: Has Growth Peaked?, JPMorgan Chase Institute",
    "https://news.jpmorganchase.com/institute/research/labor-markets/jpmc-institute-online-platform-econ-brief")
FARRELL_GREIG_HAMOUDI_2018 = Source(
    "Farrell, Greig & Hamoudi", 2018, "The Online Platform Economy in 2018, JPMorgan Chase Institute",
    "https://www.jpmorganchase.com/corporate/institute/report-ope-2018.htm", "the 58% via GeekWire")
JPMCI_2025 = Source(
    "JPMorganChase Institute", 2025, "Earnings instability: The hidden volatility of American workers' paychecks",
    "https://www.jpmorganchase.com/institute/all-topics/financial-health-wealth-creation/earnings-instability")
KASSI_2021 = Source(
    "Kässi, Lehdonvirta & Stephany", 2021, "How many online workers are there in the world?, Open Research Europe",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC10445891")
PALLAIS_2014 = Source(
    "Pallais", 2014, "Inefficient Hiring in Entry-Level Labor Markets, AER",
    "https://vdocuments.net/inefficient-hiring-in-entry-level-labor-markets-inefficient-hiring-in-entry-level.html",
    "effect sizes not found in stored text: direction only")
LEARNAIRBNB_2016 = Source(
    "LearnAirbnb / Everbooked", 2016, "The State of Airbnb Hosting (industry report)",
    "https://tripmaster.cn/en/5732.html", "industry report read in a copy (Skift)")
PARROTT_REICH_2018 = Source(
    "Parrott & Reich", 2018, "An Earnings Standard for New York City's App-based Drivers, The New School CNYCA",
    "http://www.centernyc.org/an-earnings-standard")
NYC_2019_AFTERMATH = Source(
    "Streetsblog on Politico", 2019, "Paying Uber and Lyft drivers more benefits everyone",
    "https://nyc.streetsblog.org/2019/04/29/paying-uber-and-lyft-drivers-more-benefits-everyone", "press")
HORTON_2025 = Source(
    "Horton", 2025, "Price Floors and Employer Preferences: Evidence from a Minimum Wage Experiment, AER 115(1)",
    "https://swlb1.aeaweb.org/articles?id=10.1257%2Faer.20170637",
    "exact percentages not in the stored abstracts: directions and words ('some', 'large') only")
HUI_RESHEF_ZHOU_2024 = Source(
    "Hui, Reshef & Zhou", 2024, "The Short-Term Effects of Generative Artificial Intelligence on Employment, "
    "Organization Science", "https://topsight.net/paper/W4402758071")
DEMIRCI_2024 = Source(
    "Demirci, Hannane & Zhu", 2024, "Who Is AI Replacing? The Impact of Generative AI on Online Freelancing "
    "Platforms, Management Science",
    "https://reddit.tnl.social/r/Futurology/comments/1j79c86/freelancers_are_getting_ruined_by_ai/mgwshg3/",
    "the abstract quoted verbatim in a forum post")
UBER_LYFT_2020 = Source(
    "Uber and Lyft statements", 2020, "April 2020 rides: Uber −80% (CEO, 7 May and 3 June 2020), Lyft −75%",
    "https://qz.com/1853723/uber-2020-q1-earnings-what-ubers-latest-stats-say-about-the-future-of-ride-hailing")
HEGDE_2022 = Source(
    "Hegde, Abkarian & Mahmassani", 2022, "Chicago TNC drivers in the pandemic, Transportation Research Record",
    "https://zhixidata.com/details/1/879740052")
STEPHANY_2020 = Source(
    "Stephany, Dunn, Sawyer & Lehdonvirta", 2020, "Distancing Bonus or Downscaling Loss? Tijdschrift voor "
    "Economische en Sociale Geografie", "https://experts.syr.edu/en/publications/distancing-bonus-or-downscaling-"
    "loss-the-changing-livelihood-of-u", "a V-shaped dip and recovery in March-May 2020; no percentage found")
HALL_HORTON_KNOEPFLE_2023 = Source(
    "Hall, Horton & Knoepfle", 2023, "Ride-Sharing Markets Re-Equilibrate, NBER w30883",
    "https://causalclaims.trfetzer.com/paper/w30883.html")
