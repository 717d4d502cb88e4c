// Progressive enhancement only: every page works without this file.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";
initAll();
