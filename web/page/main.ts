// The lab page: the lab mounted into the document, owning the URL hash; in an iframe (?embed=1) the compact
// layout and the parent's commands (see embed.ts).
import 'katex/dist/katex.min.css';
import { mountPage } from './mount-page';
import { embedOptions, listen, toParent } from './embed';

const layout = embedOptions(location.search);
const lab = mountPage({
  layout: layout.embedded ? layout : null,
  onState: (state) => toParent({ normlab: 'state', ...state }),
});
listen(layout, (m) => {
  if (m.command === 'load') lab.load(m.config, m.rejected, m.mode);
  else lab[m.command]();
});
