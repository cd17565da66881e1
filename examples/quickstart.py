"""Read the targets of the bundled IKI document's participant indicators."""

from __future__ import annotations

from iki_core import Count, Indicator, Target, parse_quantity


def main() -> None:
    indicator = Indicator(
        id="1",
        name="Jumlah peserta sosialisasi",
        kind=Count(parse_quantity("1 orang").unit),
        targets=[
            Target.parse(year, text)
            for year, text in zip(
                range(2018, 2023),
                [
                    "200 orang peserta",
                    "200 orang peserta",
                    "250 orang peserta",
                    "250 orang peserta",
                    "100 orang peserta",
                ],
                strict=True,
            )
        ],
    )
    for target in indicator.targets:
        print(target.year, target.value)


if __name__ == "__main__":
    main()
