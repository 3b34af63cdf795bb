// Copyright (c) 2026, Secrétariat Général des Mines
// License: MIT. See license.txt

gec_mines.define_chart_source("Courrier par jour", "gec_mines.api.tableau_de_bord.volume_par_jour", 29);
