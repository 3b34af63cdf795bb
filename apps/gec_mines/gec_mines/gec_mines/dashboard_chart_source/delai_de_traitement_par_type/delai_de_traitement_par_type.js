// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

gec_mines.define_chart_source(
	"Delai de traitement par type",
	"gec_mines.api.tableau_de_bord.delai_par_type",
	364
);
