// Progressive enhancement only: every page works without it. Marks the body as able to run
// GOV.UK Frontend (done here, not in an inline script, so the Content-Security-Policy needs no
// 'unsafe-inline'), then starts its components: error summaries take focus, skip links work,
// character counts count.
import { initAll } from 'govuk-frontend';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
